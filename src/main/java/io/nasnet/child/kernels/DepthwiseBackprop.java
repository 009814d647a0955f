package io.nasnet.child.kernels;

import io.nasnet.child.layers.SamePadding;
import io.nasnet.child.layers.Layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Backprop of a depthwise convolution with a 5x5 or larger kernel (SAME padding, stride 1 or more),
 * as two forward depthwise convolutions. oneDNN computes depthwise weight gradients with its fast
 * kernel only for 3x3 filters (at any stride); NASNet's 5x5 and 7x7 separable convolutions fall back
 * to its gemm path (19 ms for a 64x16x32x32 batch at stride 1, 15 ms for 64x32x32x32 7x7 at stride 2).
 * With {@code s} the stride and {@code t} the top (and left) padding:
 * <ul>
 *   <li>{@code dy} is spread out to the input's size: each value {@code s} apart, zeros between them,
 *       placed so that SAME padding lines up (at stride 1, {@code dy} itself);</li>
 *   <li>weight gradient: {@code dW[c,i,j] = sum_n sum_hw dy[n,c,h,w] x[n,c,s*h+i-t,s*w+j-t]} is a forward
 *       depthwise convolution of the batch seen as one image of N*C channels, with each channel's
 *       spread-out gradient map as its kernel (views of the same memory), summed over the images:
 *       3.4 ms for the stride-1 case above;</li>
 *   <li>input gradient: the spread-out {@code dy} convolved with the kernel turned by 180 degrees.</li>
 * </ul>
 * Other shapes (dilation, even or 3x3 kernels, bias, an activation, NHWC) go to DL4J.
 */
final class DepthwiseBackprop {

    private DepthwiseBackprop() {
    }

    static boolean applies(DepthwiseConvolution2D conf, INDArray input) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] d = conf.getDilation();
        DataType type = input.dataType();
        return k[0] == k[1] && k[0] >= 5 && k[0] % 2 == 1 && s[0] == s[1] && d[0] == 1 && d[1] == 1
                && conf.getConvolutionMode() == ConvolutionMode.Same && !conf.hasBias()
                && conf.getDepthMultiplier() == 1 && ConvolutionPasses.plain(conf) && input.rank() == 4
                && input.size(2) == input.size(3) && (type == DataType.FLOAT || type == DataType.DOUBLE);
    }

    /**
     * @param weights        the layer's kernel, DL4J's layout {@code [k, k, C, 1]}
     * @param weightGradView where DL4J expects the kernel's gradient, same layout
     */
    static Pair<Gradient, INDArray> backprop(DepthwiseConvolution2D conf, INDArray input, INDArray weights,
                                             INDArray weightGradView, INDArray epsilon, LayerWorkspaceMgr mgr) {
        int stride = conf.getStride()[0];
        INDArray x = Layers.contiguous(input);
        INDArray dy = Layers.contiguous(epsilon.castTo(x.dataType()));
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int h = (int) x.size(2);
        int oh = (int) dy.size(2);
        int k = (int) weights.size(0);
        int[] pads = SamePadding.pads(h, h, new int[] {k, k}, new int[] {stride, stride}, new int[] {1, 1});
        int top = pads[0];
        int bottom = pads[2];

        // dy at the input's resolution: each value s apart, zeros between, so that the SAME padding of
        // a stride-1 convolution with the turned kernel lines up (offset 0 at stride 1: dy itself)
        int offset = (k - 1) / 2 - top;
        int span = (oh - 1) * stride + 1;
        INDArray spread = dy;
        if (stride > 1) {
            spread = mgr.create(ArrayType.BP_WORKING_MEM, x.dataType(), x.shape(), 'c');
            spread.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(offset, stride, offset + span),
                    NDArrayIndex.interval(offset, stride, offset + span)).assign(dy);
        }

        // weight gradient: images x channels as the channels of one image, the spread-out dy maps
        // (views) as kernels; symmetric padding max(top, bottom), then the k x k window at the top padding
        int pad = Math.max(top, bottom);
        int size = h + 2 * pad - span + 1;
        INDArray kernels = spread.reshape('c', 1, (long) n * c, h, h)
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + span),
                        NDArrayIndex.interval(offset, offset + span))
                .permute(2, 3, 1, 0); // [span, span, N*C, 1]
        INDArray perImage = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, x.dataType(), 1, (long) n * c, size, size);
        depthwise(x.reshape('c', 1, (long) n * c, h, h), kernels, perImage, span, pad, false);
        int from = pad - top;
        INDArray window = perImage.reshape('c', n, c, size, size).get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(from, from + k), NDArrayIndex.interval(from, from + k));
        weightGradView.assign(window.sum(0).permute(1, 2, 0).reshape('c', k, k, c, 1));

        // input gradient: the spread-out dy correlated with the kernel turned by 180 degrees
        INDArray turned = Nd4j.createUninitialized(weights.dataType(), weights.shape());
        Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(weights).addOutputs(turned)
                .addIntegerArguments(0, 1).build());
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
        depthwise(spread, turned, dx, k, 0, true);

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        return new Pair<>(gradient, dx);
    }

    /**
     * ND4J's {@code depthwise_conv2d}: NCHW, stride 1, a square kernel {@code [k, k, C, 1]} (a strided view
     * is fine: oneDNN reads it as it is; other weight layouts leave oneDNN's path), symmetric padding
     * {@code pad} or SAME. (ND4J gets oneDNN's padding wrong for dilated kernels, hence the zeros.)
     */
    private static void depthwise(INDArray x, INDArray kernel, INDArray out, int k, int pad, boolean same) {
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d").addInputs(x, kernel).addOutputs(out)
                .addIntegerArguments(k, k, 1, 1, pad, pad, 1, 1, same ? 1 : 0, 0, 0).build());
    }
}
