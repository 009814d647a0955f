package io.nasnet.child.layers;

import org.deeplearning4j.util.ConvolutionUtils;

/**
 * SAME padding as DL4J computes it, for everything that has to agree with DL4J's layers pixel for
 * pixel: the network's shapes, the oneDNN and hand-written kernels, and the ONNX export. The output
 * is {@code ceil(in / stride)}; an odd pixel of padding goes to the bottom and right.
 */
public final class SamePadding {

    private SamePadding() {
    }

    /** The output size along one axis. */
    public static int outSize(int in, int stride) {
        return (in + stride - 1) / stride;
    }

    /**
     * {top, left, bottom, right} for an {@code h x w} input, as DL4J pads it; bottom or right can be
     * negative where a strided kernel never reaches the last pixel (DL4J then leaves it out).
     */
    public static int[] pads(int h, int w, int[] kernel, int[] stride, int[] dilation) {
        int[] in = {h, w};
        int[] out = {outSize(h, stride[0]), outSize(w, stride[1])};
        int[] topLeft = ConvolutionUtils.getSameModeTopLeftPadding(out, in, kernel, stride, dilation);
        int[] bottomRight = ConvolutionUtils.getSameModeBottomRightPadding(out, in, kernel, stride, dilation);
        return new int[]{topLeft[0], topLeft[1], bottomRight[0], bottomRight[1]};
    }
}
