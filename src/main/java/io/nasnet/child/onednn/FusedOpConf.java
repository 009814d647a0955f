package io.nasnet.child.onednn;

import io.nasnet.child.layers.Layers;
import io.nasnet.child.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Collection;
import java.util.List;

/**
 * What the configurations of the oneDNN layers ({@link ReluConvBn}, {@link FactorizedReduction})
 * share: NCHW convolutional input, their parameters ({@link FusedOpParams}), batch normalization's
 * epsilon and decay, and no updater for its running statistics.
 */
public abstract class FusedOpConf extends FeedForwardLayer {

    private double eps = 1e-3;
    private double decay = 0.9;

    protected FusedOpConf(Builder<?> builder) {
        super(builder);
        this.eps = builder.eps;
        this.decay = builder.decay;
    }

    /**
     * Whether networks built now get the oneDNN layers: oneDNN on ({@link Dl4jRuntime#enabled()}, after
     * {@link Dl4jRuntime#install()}, which this calls) and JavaCPP's oneDNN library loaded.
     */
    public static boolean available() {
        Dl4jRuntime.install();
        return Dl4jRuntime.enabled() && OneDnnPlan.LIBRARY.loaded();
    }

    /** Output height and width for an input of {@code h x w}. */
    public abstract long[] outputSize(long h, long w);

    /** oneDNN's primitives of this layer for NCHW inputs of {@code shape}, in training or inference. */
    abstract OneDnnPlan newPlan(long[] shape, boolean training);

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Layers.wire(new FusedOpLayer(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    /** Shape of each convolution kernel, in the order of the parameters. */
    public abstract List<long[]> kernelShapes();

    /** DL4J's fan-in and fan-out of kernel {@code i}, for the weight init. */
    public abstract double[] fans(int i);

    /** Each batch norm of the layer, in order: {how many kernels come before it since the last one, its channels}. */
    public abstract List<long[]> batchNorms();

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional in = convolutional(inputType);
        long[] hw = outputSize(in.getHeight(), in.getWidth());
        return InputType.convolutional(hw[0], hw[1], nOut, CNN2DFormat.NCHW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = convolutional(inputType).getChannels();
        }
    }

    private InputType.InputTypeConvolutional convolutional(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c) || c.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException("layer \"" + getLayerName() + "\" takes NCHW convolutional input, got "
                    + inputType);
        }
        return c;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public ParamInitializer initializer() {
        return FusedOpParams.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return FusedOpParams.isRunningStat(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long in = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
                .standardMemory(initializer().numParams(this), 0)
                .workingMemory(0, in, 0, 3 * in)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    public double getDecay() {
        return decay;
    }

    public void setDecay(double decay) {
        this.decay = decay;
    }

    /** What the oneDNN layers' builders share: batch normalization's epsilon and running-average decay. */
    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {

        private double eps = 1e-3;
        private double decay = 0.9;

        @SuppressWarnings("unchecked")
        public T eps(double e) {
            this.eps = e;
            return (T) this;
        }

        @SuppressWarnings("unchecked")
        public T decay(double d) {
            this.decay = d;
            return (T) this;
        }
    }
}
