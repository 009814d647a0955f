package io.nasnet.child.kernels;

import io.nasnet.child.layers.Layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's convolution without the forward pass its backprop repeats. DL4J 1.0.0-M2.1 recomputes a
 * convolution's output during backprop only to feed the activation's derivative; the network's
 * convolutions have no activation (ReLU and BN are layers of their own), so that second forward
 * pass, about a third of a convolution's training cost, is skipped, and the children's memory
 * limit is checked after every pass ({@link ConvolutionPasses}). Everything else, oneDNN helper
 * included, is DL4J's.
 */
public class Conv2d extends ConvolutionLayer {

    /** For DL4J's JSON configuration. */
    public Conv2d() {
    }

    private Conv2d(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Layers.wire(new Impl(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    /** Builds a {@link Conv2d}; everything as DL4J's convolution builder. */
    public static final class Builder extends ConvolutionLayer.Builder {

        public Builder(int kernelHeight, int kernelWidth) {
            super(kernelHeight, kernelWidth);
        }

        @Override
        public Conv2d build() {
            super.build(); // DL4J's validation of kernel, stride, padding and mode
            return new Conv2d(this);
        }
    }

    static final class Impl extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {

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
            return passes.backprop(epsilon, () -> super.backpropGradient(epsilon, mgr));
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput4d(boolean training, boolean forBackprop, LayerWorkspaceMgr mgr) {
            return passes.preOutput(forBackprop, layerConf(), () -> super.preOutput4d(training, forBackprop, mgr));
        }
    }
}
