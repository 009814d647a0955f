package io.nasnet.child.onednn;

import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The computation of {@link FactorizedReduction} on oneDNN. The shifted input is a dense copy of the
 * input without its first row and column; the second path's stride-2 convolution pads it at the
 * bottom and right where the size needs it. The two paths write their halves of the output
 * channels; backprop adds the second path's input gradient into the first's, one pixel down and right.
 */
final class FactorizedReductionPlan extends OneDnnPlan {

    FactorizedReductionPlan(FactorizedReduction conf, long[] shape, boolean training) {
        super(shape, training);
        long n = shape[0];
        long c = shape[1];
        long h = shape[2];
        long w = shape[3];
        long[] outSize = conf.outputSize(h, w);
        long oh = outSize[0];
        long ow = outSize[1];
        long f = conf.getNOut();
        long f1 = conf.firstPath();
        long[] shiftedShape = {n, c, h - 1, w - 1};
        long[][] pathShape = {{n, f1, oh, ow}, {n, f - f1, oh, ow}};
        long[] outShape = {n, f, oh, ow};
        dnnl.prop_kind prop = training ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
        dnnl.algorithm direct = dnnl.algorithm.convolution_direct;
        long[] stride = {2, 2};
        long[] zero = {0, 0};
        // the shifted input is one pixel smaller: pad it at the bottom and right to reach the output size
        long[][] padR = {zero, {Math.max(0, 2 * oh - h), Math.max(0, 2 * ow - w)}};

        // forward: x -> r (ReLU in place) -> shifted copy; path 0 on r, path 1 on the copy; both into z's halves; BN
        memory.desc inMd = md(shape, memory.format_tag.nhwc);
        memory r = buffer("r", shape, Use.KEPT);
        dnnl.algorithm relu = dnnl.algorithm.eltwise_relu_use_dst_for_bwd;
        readInput(r);
        eltwise_forward.primitive_desc reluPd = null;
        if (conf.isRelu()) {
            reluPd = own(new eltwise_forward.primitive_desc(own(new eltwise_forward.desc(prop, relu, inMd, 0f, 0f)), eng));
            forwardStep(own(new eltwise_forward(reluPd)), DNNL_ARG_SRC, r, DNNL_ARG_DST, r); // in place
        }
        // the shifted copy is made again for backprop rather than kept: it is as large as the input
        memory shifted = buffer("shifted", shiftedShape, Use.FORWARD);
        memory rTail = region("r", shiftedShape, new long[]{0, 0, 1, 1});
        forwardStep(own(new reorder(rTail, shifted)), DNNL_ARG_SRC, rTail, DNNL_ARG_DST, shifted);
        memory z = buffer("z", outShape, Use.KEPT);
        memory[] src = {r, shifted};
        memory.desc[] srcMd = {inMd, md(shiftedShape, memory.format_tag.nhwc)};
        memory[] pathOut = new memory[2];
        memory.desc[] userW = new memory.desc[2];
        memory.desc[] anyW = new memory.desc[2];
        convolution_forward.primitive_desc[] pds = new convolution_forward.primitive_desc[2];
        for (int p = 0; p < 2; p++) {
            long[] wDims = {pathShape[p][1], c, 1, 1};
            userW[p] = md(wDims, memory.format_tag.oihw);
            anyW[p] = md(wDims, memory.format_tag.any);
            pathOut[p] = buffer("path" + p, pathShape[p], Use.FORWARD);
            pds[p] = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop, direct,
                    srcMd[p], anyW[p], md(pathShape[p], memory.format_tag.nhwc), stride, zero, padR[p])), eng));
            memory k = kernel(FusedOpParams.kernel(p), userW[p], pds[p].weights_desc(), true);
            forwardStep(own(new convolution_forward(pds[p])), DNNL_ARG_SRC, src[p], DNNL_ARG_WEIGHTS, k,
                    DNNL_ARG_DST, pathOut[p]);
            memory half = region("z", pathShape[p], new long[]{0, p == 0 ? 0 : f1, 0, 0});
            forwardStep(own(new reorder(pathOut[p], half)), DNNL_ARG_SRC, pathOut[p], DNNL_ARG_DST, half);
        }
        memory y = buffer("y", outShape, Use.FORWARD);
        bnForward(0, z, y, outShape, (float) conf.getEps());
        writeOutput(y, outShape);
        if (!training) {
            return;
        }
        memory dz = buffer("dz", outShape, Use.BACKWARD);
        bnBackward(0, z, readOutputGradient(), dz);

        // backward: BN -> dz's halves -> each path's kernel gradient and input gradient; the shifted
        // path's input gradient added one pixel down and right; (ReLU) -> dx
        memory dr = buffer("dr", shape, Use.BACKWARD);
        memory dShifted = buffer("dShifted", shiftedShape, Use.BACKWARD);
        memory[] dIn = {dr, dShifted};
        src[1] = buffer("shiftedAgain", shiftedShape, Use.BACKWARD);
        backwardStep(own(new reorder(rTail, src[1])), DNNL_ARG_SRC, rTail, DNNL_ARG_DST, src[1]);
        for (int p = 0; p < 2; p++) {
            String key = FusedOpParams.kernel(p);
            memory dPath = buffer("dPath" + p, pathShape[p], Use.BACKWARD);
            memory half = region("dz", pathShape[p], new long[]{0, p == 0 ? 0 : f1, 0, 0});
            backwardStep(own(new reorder(half, dPath)), DNNL_ARG_SRC, half, DNNL_ARG_DST, dPath);
            memory.desc pathMd = md(pathShape[p], memory.format_tag.nhwc);
            var wPd = own(new convolution_backward_weights.primitive_desc(own(new convolution_backward_weights.desc(
                    direct, srcMd[p], anyW[p], pathMd, stride, zero, padR[p])), eng, pds[p]));
            memory dW = kernelGradient(key, userW[p], wPd.diff_weights_desc());
            backwardStep(own(new convolution_backward_weights(wPd)), DNNL_ARG_SRC, src[p], DNNL_ARG_DIFF_DST, dPath,
                    DNNL_ARG_DIFF_WEIGHTS, dW);
            storeKernelGradient(key, dW);
            var dPd = own(new convolution_backward_data.primitive_desc(own(new convolution_backward_data.desc(direct,
                    srcMd[p], anyW[p], pathMd, stride, zero, padR[p])), eng, pds[p]));
            memory k = kernel(key, userW[p], dPd.weights_desc(), false);
            backwardStep(own(new convolution_backward_data(dPd)), DNNL_ARG_DIFF_DST, dPath, DNNL_ARG_WEIGHTS, k,
                    DNNL_ARG_DIFF_SRC, dIn[p]);
        }
        addInto(dShifted, region("dr", shiftedShape, new long[]{0, 0, 1, 1}));
        if (reluPd != null) {
            var relubPd = own(new eltwise_backward.primitive_desc(own(new eltwise_backward.desc(relu, inMd, inMd, 0f, 0f)),
                    eng, reluPd));
            backwardStep(own(new eltwise_backward(relubPd)), DNNL_ARG_DST, r, DNNL_ARG_DIFF_DST, dr, DNNL_ARG_DIFF_SRC, dr);
        }
        writeInputGradient(dr);
    }
}
