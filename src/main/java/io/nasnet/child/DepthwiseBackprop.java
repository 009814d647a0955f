package io.nasnet.child;

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

/**
 * Backprop of a stride-1 depthwise convolution with a 5x5 or larger kernel, as two forward
 * depthwise convolutions. oneDNN computes depthwise weight gradients with its fast kernel only for
 * 3x3 filters; NASNet's 5x5 and 7x7 separable convolutions fall back to its gemm path (19 ms for a
 * 64x16x32x32 batch). Instead:
 * <ul>
 *   <li>weight gradient: {@code dW[c,i,j] = sum_n sum_hw x_pad[n,c,h+i,w+j] dy[n,c,h,w]} is a forward
 *       depthwise convolution of the batch seen as one image of N*C channels, with each channel's
 *       gradient map as its kernel (views of the same memory), summed over the images: 3.4 ms;</li>
 *   <li>input gradient: the forward convolution of {@code dy} with the kernel turned by 180 degrees
 *       (SAME padding, stride 1).</li>
 * </ul>
 * Other shapes (strides, dilation, even or 3x3 kernels, bias, an activation, NHWC) go to DL4J.
 */
final class DepthwiseBackprop {

    private DepthwiseBackprop() {
    }

    static boolean applies(DepthwiseConvolution2D conf, INDArray input) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] d = conf.getDilation();
        DataType type = input.dataType();
        return k[0] == k[1] && k[0] >= 5 && k[0] % 2 == 1 && s[0] == 1 && s[1] == 1 && d[0] == 1 && d[1] == 1
                && conf.getConvolutionMode() == ConvolutionMode.Same && !conf.hasBias()
                && conf.getDepthMultiplier() == 1 && ConvolutionPasses.plain(conf) && input.rank() == 4
                && (type == DataType.FLOAT || type == DataType.DOUBLE);
    }

    /**
     * @param weights        the layer's kernel, DL4J's layout {@code [k, k, C, 1]}
     * @param weightGradView where DL4J expects the kernel's gradient, same layout
     */
    static Pair<Gradient, INDArray> backprop(INDArray input, INDArray weights, INDArray weightGradView,
                                             INDArray epsilon, LayerWorkspaceMgr mgr) {
        INDArray x = Layers.contiguous(input);
        INDArray dy = Layers.contiguous(epsilon.castTo(x.dataType()));
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int k = (int) weights.size(0);
        int p = (k - 1) / 2;

        // weight gradient: images x channels as the channels of one image, dy's maps as kernels
        INDArray perImage = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, x.dataType(), 1, (long) n * c, k, k);
        INDArray kernels = dy.reshape('c', 1, (long) n * c, h, w).permute(2, 3, 1, 0); // [h, w, N*C, 1], a view
        depthwise(x.reshape('c', 1, (long) n * c, h, w), kernels, perImage, h, w, p);
        INDArray summed = perImage.reshape('c', n, (long) c * k * k).sum(0).reshape('c', c, k, k);
        weightGradView.assign(summed.permute(1, 2, 0).reshape('c', k, k, c, 1));

        // input gradient: dy correlated with the kernel turned by 180 degrees
        INDArray turned = Nd4j.createUninitialized(weights.dataType(), weights.shape());
        Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(weights).addOutputs(turned)
                .addIntegerArguments(0, 1).build());
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
        depthwise(dy, turned, dx, k, k, p);

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        return new Pair<>(gradient, dx);
    }

    /**
     * ND4J's {@code depthwise_conv2d}: NCHW, stride 1, symmetric padding {@code p}, kernel {@code [kh, kw, C, 1]}
     * (a strided view is fine: oneDNN reads it as it is; other weight layouts leave oneDNN's path).
     */
    private static void depthwise(INDArray x, INDArray kernel, INDArray out, int kh, int kw, int p) {
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d").addInputs(x, kernel).addOutputs(out)
                .addIntegerArguments(kh, kw, 1, 1, p, p, 1, 1, 0, 0, 0).build());
    }
}
