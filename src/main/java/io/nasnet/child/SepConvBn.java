package io.nasnet.child;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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

/**
 * Half of NASNet's separable convolution op as one layer: ReLU, a k x k depthwise convolution
 * (SAME padding, stride 1 or 2), a 1x1 convolution to {@code nOut} channels, batch normalization.
 * The op (this twice, only the first strided) is most of a NASNet cell's work. As four DL4J layers
 * every oneDNN call converts its input and output between ND4J's NCHW arrays and oneDNN's
 * channels-last or blocked layouts, about half of the op's time; this layer runs the whole chain on
 * oneDNN in channels-last ({@link SepConvBnLayer}), converting once on the way in and once out, and
 * computes batch-norm statistics and gradients in oneDNN's fused kernels.
 *
 * <p>Needs oneDNN (JavaCPP's {@code dnnl} preset) and float activations: {@link #available()}
 * says whether this machine has it; {@link NetworkBuilder} builds the four-layer form otherwise.
 * Parameters, flattened in this order: depthwise kernel {@code [C, k, k]}, 1x1 kernel
 * {@code [nOut, C]}, BN gamma and beta, BN running mean and variance (the last two updated as DL4J's
 * {@code BatchNormalization} does: by a "gradient" of {@code (1 - decay) * (running - batch)} with
 * no updater). Weight decay applies to the two kernels only.
 */
public class SepConvBn extends FeedForwardLayer {

    private int kernel = 3;
    private int stride = 1;
    private double eps = 1e-3;
    private double decay = 0.9;

    /** For DL4J's JSON configuration. */
    public SepConvBn() {
        super(new Builder());
    }

    private SepConvBn(Builder b) {
        super(b);
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.eps = b.eps;
        this.decay = b.decay;
    }

    /** Whether this machine can run the layer: the CPU backend and oneDNN's library loaded. */
    public static boolean available() {
        return OneDnn.isCpuBackend() && SepConvBnLayer.Plan.LIBRARY.loaded();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Layers.wire(new SepConvBnLayer(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return SepConvBnParams.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional in = convolutional(inputType);
        long h = (in.getHeight() + stride - 1) / stride;
        long w = (in.getWidth() + stride - 1) / stride;
        return InputType.convolutional(h, w, nOut, CNN2DFormat.NCHW);
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
    public IUpdater getUpdaterByParam(String paramName) {
        return SepConvBnParams.RUNNING_STATS.contains(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long kept = 2 * inputType.arrayElementsPerExample() + out.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
                .standardMemory(initializer().numParams(this), 0)
                .workingMemory(0, inputType.arrayElementsPerExample(), 0, 3 * inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    public int getKernel() {
        return kernel;
    }

    public void setKernel(int kernel) {
        this.kernel = kernel;
    }

    public int getStride() {
        return stride;
    }

    public void setStride(int stride) {
        this.stride = stride;
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

    /** Builds a {@link SepConvBn}; {@code nOut} is the 1x1 convolution's (and the layer's) channels. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {

        private int kernel = 3;
        private int stride = 1;
        private double eps = 1e-3;
        private double decay = 0.9;

        public Builder kernel(int k) {
            this.kernel = k;
            return this;
        }

        public Builder stride(int s) {
            this.stride = s;
            return this;
        }

        public Builder eps(double e) {
            this.eps = e;
            return this;
        }

        public Builder decay(double d) {
            this.decay = d;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SepConvBn build() {
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException("separable convolution kernel must be odd and positive, got " + kernel);
            }
            if (stride < 1) {
                throw new IllegalArgumentException("separable convolution stride must be positive, got " + stride);
            }
            return new SepConvBn(this);
        }
    }
}
