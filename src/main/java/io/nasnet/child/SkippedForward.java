package io.nasnet.child;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Supplier;

/**
 * What {@link Conv2d} and {@link DepthwiseConv2d} hand DL4J's backprop instead of recomputing
 * the layer's output. DL4J uses that output only as the input of the activation's derivative,
 * which for the identity is the incoming gradient whatever the input, as long as the shapes agree:
 * so the incoming gradient itself stands in for the output.
 */
final class SkippedForward {

    private INDArray epsilon;

    /** Runs DL4J's backprop with {@code epsilon} available to {@link #output}. */
    <T> T backprop(INDArray epsilon, Supplier<T> dl4jBackprop) {
        this.epsilon = epsilon;
        try {
            return dl4jBackprop.get();
        } finally {
            this.epsilon = null;
        }
    }

    /** The stand-in for the layer's output during backprop, or null where DL4J must recompute it. */
    INDArray output(boolean forBackprop, ConvolutionLayer conf) {
        boolean applies = forBackprop && epsilon != null
                && conf.getActivationFn() instanceof ActivationIdentity
                && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW;
        return applies ? epsilon : null;
    }
}
