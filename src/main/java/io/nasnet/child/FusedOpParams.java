package io.nasnet.child;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a {@link FusedOpConf}, laid out as oneDNN reads them: kernel {@code W<i>} of each
 * convolution, then BN's gamma and beta next to each other (oneDNN's scale-shift array), running
 * mean, running variance. Kernels start as DL4J starts its convolutions (the layer's weight init
 * with DL4J's fan-in and fan-out), gamma at 1, beta and the mean at 0, the variance at 1.
 */
final class FusedOpParams implements ParamInitializer {

    static final String GAMMA = "gamma";
    static final String BETA = "beta";
    static final String MEAN = "mean";
    static final String VAR = "var";
    static final List<String> RUNNING_STATS = List.of(MEAN, VAR);
    static final FusedOpParams INSTANCE = new FusedOpParams();

    private FusedOpParams() {
    }

    /** The key of convolution {@code i}'s kernel. */
    static String kernel(int i) {
        return "W" + i;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FusedOpConf l = (FusedOpConf) layer;
        long n = 4 * l.getNOut();
        for (long[] shape : l.kernelShapes()) {
            n += length(shape);
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(weightKeys(layer));
        keys.addAll(List.of(GAMMA, BETA, MEAN, VAR));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < ((FusedOpConf) layer).kernelShapes().size(); i++) {
            keys.add(kernel(i));
        }
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return key.startsWith("W");
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        FusedOpConf l = (FusedOpConf) conf.getLayer();
        Map<String, INDArray> views = views(l, paramsView);
        if (initializeParams) {
            for (int i = 0; i < l.kernelShapes().size(); i++) {
                double[] fans = l.fans(i);
                INDArray w = views.get(kernel(i));
                l.getWeightInitFn().init(fans[0], fans[1], w.shape(), 'c', w);
            }
            views.get(GAMMA).assign(1);
            views.get(BETA).assign(0);
            views.get(MEAN).assign(0);
            views.get(VAR).assign(1);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((FusedOpConf) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(FusedOpConf l, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long at = 0;
        for (int i = 0; i < l.kernelShapes().size(); i++) {
            long[] shape = l.kernelShapes().get(i);
            m.put(kernel(i), row.get(NDArrayIndex.interval(at, at + length(shape))).reshape('c', shape));
            at += length(shape);
        }
        long f = l.getNOut();
        for (String key : List.of(GAMMA, BETA, MEAN, VAR)) {
            m.put(key, row.get(NDArrayIndex.interval(at, at + f)).reshape('c', 1, f));
            at += f;
        }
        return m;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
