package io.nasnet.child;

import io.nasnet.child.onednn.FactorizedReduction;
import io.nasnet.child.onednn.FusedOpConf;
import io.nasnet.child.onednn.ReluConvBn;
import io.nasnet.child.layers.Conv;

import java.util.List;

/** Each op one oneDNN layer ({@link ReluConvBn}, {@link FactorizedReduction}): where oneDNN's library loads. */
final class FusedOps implements OpLayers {

    private final NetworkOptions options;

    FusedOps(NetworkOptions options) {
        this.options = options;
    }

    @Override
    public Node reluConvBn(LayerGraph g, String name, Node x, List<List<Conv>> stages) {
        ReluConvBn.Builder b = new ReluConvBn.Builder().eps(options.bnEps()).decay(options.bnDecay());
        for (List<Conv> stage : stages) {
            b.stage(stage.toArray(Conv[]::new));
        }
        return layer(g, name, b.build(), x);
    }

    @Override
    public Node factorizedReduction(LayerGraph g, String name, Node x, int filters, boolean withRelu) {
        return layer(g, name, new FactorizedReduction.Builder().relu(withRelu).eps(options.bnEps())
                .decay(options.bnDecay()).nOut(filters).build(), x);
    }

    /** The layer on {@code x}, its output's size as the layer computes it. */
    private static Node layer(LayerGraph g, String name, FusedOpConf layer, Node x) {
        g.add(name, layer, x.name());
        long[] hw = layer.outputSize(x.h(), x.w());
        return new Node(name, (int) layer.getNOut(), (int) hw[0], (int) hw[1]);
    }
}
