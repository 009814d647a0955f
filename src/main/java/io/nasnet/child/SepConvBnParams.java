package io.nasnet.child;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a {@link SepConvBn}, laid out as oneDNN reads them: the depthwise kernel
 * {@code [C, 1, 1, k, k]}, the 1x1 kernel {@code [nOut, C, 1, 1]}, then BN's gamma and beta next to
 * each other (oneDNN's scale-shift array), running mean, running variance. Kernels start as DL4J
 * starts its depthwise and 1x1 convolutions (the layer's weight init, DL4J's fan-in and fan-out),
 * gamma at 1, beta and the mean at 0, the variance at 1.
 */
final class SepConvBnParams implements ParamInitializer {

    static final String DEPTHWISE = "dW";
    static final String POINTWISE = "pW";
    static final String GAMMA = "gamma";
    static final String BETA = "beta";
    static final String MEAN = "mean";
    static final String VAR = "var";
    static final List<String> KEYS = List.of(DEPTHWISE, POINTWISE, GAMMA, BETA, MEAN, VAR);
    static final List<String> RUNNING_STATS = List.of(MEAN, VAR);
    static final SepConvBnParams INSTANCE = new SepConvBnParams();

    private SepConvBnParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        SepConvBn l = (SepConvBn) layer;
        long c = l.getNIn();
        long f = l.getNOut();
        return c * l.getKernel() * l.getKernel() + f * c + 4 * f;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(DEPTHWISE, POINTWISE);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return DEPTHWISE.equals(key) || POINTWISE.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        SepConvBn l = (SepConvBn) conf.getLayer();
        Map<String, INDArray> views = views(l, paramsView);
        if (initializeParams) {
            int k = l.getKernel();
            double s2 = (double) l.getStride() * l.getStride();
            long c = l.getNIn();
            l.getWeightInitFn().init(c * k * k, k * k / s2, views.get(DEPTHWISE).shape(), 'c', views.get(DEPTHWISE));
            l.getWeightInitFn().init(c, l.getNOut(), views.get(POINTWISE).shape(), 'c', views.get(POINTWISE));
            views.get(GAMMA).assign(1);
            views.get(BETA).assign(0);
            views.get(MEAN).assign(0);
            views.get(VAR).assign(1);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((SepConvBn) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(SepConvBn l, INDArray flat) {
        long c = l.getNIn();
        long f = l.getNOut();
        long k = l.getKernel();
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long at = 0;
        m.put(DEPTHWISE, row.get(NDArrayIndex.interval(at, at + c * k * k)).reshape('c', c, 1, 1, k, k));
        at += c * k * k;
        m.put(POINTWISE, row.get(NDArrayIndex.interval(at, at + f * c)).reshape('c', f, c, 1, 1));
        at += f * c;
        for (String key : List.of(GAMMA, BETA, MEAN, VAR)) {
            m.put(key, row.get(NDArrayIndex.interval(at, at + f)).reshape('c', 1, f));
            at += f;
        }
        return m;
    }
}
