package io.nasnet.child.kernels;

import io.nasnet.child.runtime.NativeMemory;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Supplier;

/**
 * What {@link Conv2d} and {@link DepthwiseConv2d} do around DL4J's passes of a convolution layer.
 * <ul>
 *   <li>Backprop gets the incoming gradient where DL4J would recompute the layer's output: DL4J uses
 *       that output only as the input of the activation's derivative, which for the identity is the
 *       incoming gradient whatever the input, as long as the shapes agree.</li>
 *   <li>After each pass, {@link NativeMemory#release()}: the oneDNN convolution has just freed its
 *       buffers.</li>
 * </ul>
 */
final class ConvolutionPasses {

    private INDArray epsilon;

    /** DL4J's forward pass, then a memory check. */
    <T> T forward(Supplier<T> dl4jForward) {
        T out = dl4jForward.get();
        NativeMemory.release();
        return out;
    }

    /** DL4J's backprop with {@code epsilon} standing in for the layer's output, then a memory check. */
    <T> T backprop(INDArray epsilon, Supplier<T> dl4jBackprop) {
        this.epsilon = epsilon;
        try {
            return dl4jBackprop.get();
        } finally {
            this.epsilon = null;
            NativeMemory.release();
        }
    }

    /** The layer's output for DL4J's backprop: the stand-in where it applies, else DL4J's recomputation. */
    Pair<INDArray, INDArray> preOutput(boolean forBackprop, ConvolutionLayer conf,
                                       Supplier<Pair<INDArray, INDArray>> dl4jPreOutput) {
        return forBackprop && epsilon != null && plain(conf) ? new Pair<>(epsilon, null) : dl4jPreOutput.get();
    }

    /** No activation and NCHW: what this package's shortcuts around DL4J's convolution code assume. */
    static boolean plain(ConvolutionLayer conf) {
        return conf.getActivationFn() instanceof ActivationIdentity && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }
}
