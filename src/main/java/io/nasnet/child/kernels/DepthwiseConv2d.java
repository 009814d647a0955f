package io.nasnet.child.kernels;

import io.nasnet.child.layers.Layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's depthwise convolution without the forward pass its backprop repeats, with the memory check
 * after every pass (see {@link Conv2d}).
 */
public class DepthwiseConv2d extends DepthwiseConvolution2D {

    /** For DL4J's JSON configuration. */
    public DepthwiseConv2d() {
    }

    private DepthwiseConv2d(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Layers.wire(new Impl(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    /** Builds a {@link DepthwiseConv2d}; everything as DL4J's depthwise builder. */
    public static final class Builder extends DepthwiseConvolution2D.Builder {

        public Builder(int kernelHeight, int kernelWidth) {
            super(kernelHeight, kernelWidth);
        }

        @Override
        public DepthwiseConv2d build() {
            super.build(); // DL4J's validation
            return new DepthwiseConv2d(this);
        }
    }

    static final class Impl extends DepthwiseConvolution2DLayer {

        private final ConvolutionPasses passes = new ConvolutionPasses();

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            return passes.forward(() -> super.activate(training, mgr));
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            DepthwiseConvolution2D conf = (DepthwiseConvolution2D) layerConf();
            return passes.backprop(epsilon, () -> DepthwiseBackprop.applies(conf, input)
                    ? DepthwiseBackprop.backprop(conf, input, getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY),
                    gradientViews.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY), epsilon, mgr)
                    : super.backpropGradient(epsilon, mgr));
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput4d(boolean training, boolean forBackprop, LayerWorkspaceMgr mgr) {
            return passes.preOutput(forBackprop, layerConf(), () -> super.preOutput4d(training, forBackprop, mgr));
        }
    }
}
