package io.nasnet.child;

import io.nasnet.child.layers.Conv;
import io.nasnet.child.onednn.FusedOpConf;
import io.nasnet.child.onednn.ReluConvBn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Map;

/**
 * Size and cost of a network as the paper reports them: trainable parameters (batch-norm moving
 * statistics excluded) and multiply-adds of one forward pass of one image (convolutions and
 * fully connected layers). Computed from the configuration alone, so even the 88.9M-parameter
 * large ImageNet model is counted without allocating it.
 *
 * @param params       trainable parameters of the inference network (auxiliary head excluded)
 * @param multAdds     multiply-adds per image, inference network
 */
public record Complexity(long params, long multAdds) {

    /** Counts a built configuration whose single input has the given type. */
    public static Complexity of(ComputationGraphConfiguration conf, InputType input) {
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        long params = 0;
        long multAdds = 0;
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("aux_") || !(e.getValue() instanceof LayerVertex lv)) {
                continue;
            }
            NeuralNetConfiguration nnc = lv.getLayerConf();
            Layer layer = nnc.getLayer();
            if (layer instanceof BatchNormalization bn) {
                params += 2 * bn.getNOut();
                continue;
            }
            if (layer instanceof FusedOpConf op) {
                params += layer.initializer().numParams(nnc);
                for (long[] bn : op.batchNorms()) {
                    params -= 2 * bn[1]; // running mean and variance
                }
                if (op instanceof ReluConvBn rcb) {
                    String from = inputs.get(name).get(0);
                    multAdds += multAdds(rcb, (InputType.InputTypeConvolutional) types.getOrDefault(from, input));
                } else if (types.get(name) instanceof InputType.InputTypeConvolutional out) {
                    multAdds += out.getHeight() * out.getWidth() * out.getChannels() * op.getNIn();
                }
                continue;
            }
            params += layer.initializer().numParams(nnc);
            InputType out = types.get(name);
            if (layer instanceof DepthwiseConvolution2D dw && out instanceof InputType.InputTypeConvolutional c) {
                long[] k = toLong(dw.getKernelSize());
                multAdds += c.getHeight() * c.getWidth() * c.getChannels() * k[0] * k[1];
            } else if (layer instanceof ConvolutionLayer cl && out instanceof InputType.InputTypeConvolutional c) {
                long[] k = toLong(cl.getKernelSize());
                multAdds += c.getHeight() * c.getWidth() * c.getChannels() * cl.getNIn() * k[0] * k[1];
            } else if (layer instanceof FeedForwardLayer ff && layer instanceof BaseLayer
                    && !(layer instanceof ConvolutionLayer)) {
                multAdds += ff.getNIn() * ff.getNOut();
            }
        }
        return new Complexity(params, multAdds);
    }

    /** Each convolution of the op on the feature map it makes. */
    private static long multAdds(ReluConvBn op, InputType.InputTypeConvolutional in) {
        long h = in.getHeight();
        long w = in.getWidth();
        long total = 0;
        for (int i = 0; i < op.getConvs().size(); i++) {
            Conv c = op.getConvs().get(i);
            h = (h + c.getStrideH() - 1) / c.getStrideH();
            w = (w + c.getStrideW() - 1) / c.getStrideW();
            long perOutput = (c.isDepthwise() ? 1 : op.channelsInto(i)) * c.getKernelH() * c.getKernelW();
            total += h * w * c.getNOut() * perOutput;
        }
        return total;
    }

    private static long[] toLong(int[] a) {
        return new long[]{a[0], a[1]};
    }
}
