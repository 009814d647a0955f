package io.nasnet.child.onednn;

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
 * The parameters of a {@link FusedOpConf}, laid out as oneDNN reads them: for each batch norm
 * {@code b} of the layer, the kernels {@code W<i>} of the convolutions before it, then its gamma and
 * beta next to each other (oneDNN's scale-shift array), running mean, running variance. Kernels
 * start as DL4J starts its convolutions (the layer's weight init with DL4J's fan-in and fan-out),
 * gamma at 1, beta and the mean at 0, the variance at 1.
 */
final class FusedOpParams implements ParamInitializer {

    static final FusedOpParams INSTANCE = new FusedOpParams();

    private FusedOpParams() {
    }

    /** The key of convolution {@code i}'s kernel. */
    static String kernel(int i) {
        return "W" + i;
    }

    /** Keys of batch norm {@code b}'s parameters; gamma's and beta's values lie next to each other. */
    static String gamma(int b) {
        return "gamma" + b;
    }

    static String beta(int b) {
        return "beta" + b;
    }

    static String mean(int b) {
        return "mean" + b;
    }

    static String var(int b) {
        return "var" + b;
    }

    /** Whether {@code key} is a running statistic (updated without an updater, not regularized). */
    static boolean isRunningStat(String key) {
        return key.startsWith("mean") || key.startsWith("var");
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FusedOpConf l = (FusedOpConf) layer;
        long n = 0;
        for (long[] bn : l.batchNorms()) {
            n += 4 * bn[1];
        }
        for (long[] shape : l.kernelShapes()) {
            n += length(shape);
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return new ArrayList<>(views((FusedOpConf) layer, null).keySet());
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
            for (int b = 0; b < l.batchNorms().size(); b++) {
                views.get(gamma(b)).assign(1);
                views.get(beta(b)).assign(0);
                views.get(mean(b)).assign(0);
                views.get(var(b)).assign(1);
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((FusedOpConf) conf.getLayer(), gradientView);
    }

    /** Views of {@code flat} by key, in the layout's order; with {@code flat} null, the keys alone (null views). */
    private static Map<String, INDArray> views(FusedOpConf l, INDArray flat) {
        INDArray row = flat == null ? null : flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long at = 0;
        int kernel = 0;
        List<long[]> shapes = l.kernelShapes();
        List<long[]> bns = l.batchNorms();
        for (int b = 0; b < bns.size(); b++) {
            for (int k = 0; k < bns.get(b)[0]; k++, kernel++) {
                long[] shape = shapes.get(kernel);
                m.put(kernel(kernel), row == null ? null
                        : row.get(NDArrayIndex.interval(at, at + length(shape))).reshape('c', shape));
                at += length(shape);
            }
            long c = bns.get(b)[1];
            for (String key : List.of(gamma(b), beta(b), mean(b), var(b))) {
                m.put(key, row == null ? null : row.get(NDArrayIndex.interval(at, at + c)).reshape('c', 1, c));
                at += c;
            }
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
