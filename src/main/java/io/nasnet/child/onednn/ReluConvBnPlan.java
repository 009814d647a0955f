package io.nasnet.child.onednn;

import io.nasnet.child.layers.SamePadding;
import io.nasnet.child.layers.Conv;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The computation of {@link ReluConvBn} on oneDNN: the input reordered to channels-last, then each
 * stage's ReLU, convolutions and batch normalization, the output reordered back; backprop the same
 * way down. Kept for backprop: each convolution's output and the ReLU outputs after the first.
 */
final class ReluConvBnPlan extends OneDnnPlan {

    ReluConvBnPlan(ReluConvBn conf, long[] shape, boolean training) {
        super(shape, training);
        List<Conv> convs = conf.getConvs();
        List<Integer> stageSizes = conf.getStages();
        int m = convs.size();
        int stageCount = stageSizes.size();
        long[][] shapes = conf.shapes(shape);
        int[] first = new int[stageCount];
        int[] last = new int[stageCount];
        for (int st = 0, at = 0; st < stageCount; st++) {
            first[st] = at;
            at += stageSizes.get(st);
            last[st] = at - 1;
        }
        dnnl.prop_kind prop = training ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
        dnnl.algorithm relu = dnnl.algorithm.eltwise_relu_use_dst_for_bwd;
        dnnl.algorithm direct = dnnl.algorithm.convolution_direct;
        float eps = (float) conf.getEps();
        memory.desc[] mds = new memory.desc[m + 1];
        for (int i = 0; i <= m; i++) {
            mds[i] = md(shapes[i], memory.format_tag.nhwc);
        }

        // forward, per stage: ReLU in place on r (the input, or the previous stage's BN output),
        // convolutions into c1..cm, BN into the next stage's r or, last, the output. The first
        // ReLU's output is made again for backprop rather than kept: ops reading one state would
        // each keep a copy of it.
        memory[] r = new memory[stageCount];
        memory[] c = new memory[m + 1];
        eltwise_forward.primitive_desc[] reluPd = new eltwise_forward.primitive_desc[stageCount];
        r[0] = buffer("r0", shape, Use.FORWARD);
        readInput(r[0]);
        Geometry[] geometry = new Geometry[m];
        convolution_forward.primitive_desc[] pds = new convolution_forward.primitive_desc[m];
        for (int st = 0; st < stageCount; st++) {
            memory.desc rMd = mds[first[st]];
            reluPd[st] = own(new eltwise_forward.primitive_desc(own(new eltwise_forward.desc(prop, relu, rMd, 0f, 0f)), eng));
            forwardStep(own(new eltwise_forward(reluPd[st])), DNNL_ARG_SRC, r[st], DNNL_ARG_DST, r[st]); // in place
            for (int i = first[st]; i <= last[st]; i++) {
                Geometry g = geometry[i] = new Geometry(convs.get(i), shapes[i], shapes[i + 1]);
                pds[i] = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop, direct,
                        mds[i], g.any, mds[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng));
                memory w = kernel(FusedOpParams.kernel(i), g.user, pds[i].weights_desc(), true);
                c[i + 1] = buffer("c" + (i + 1), shapes[i + 1], Use.KEPT);
                forwardStep(own(new convolution_forward(pds[i])), DNNL_ARG_SRC, i == first[st] ? r[st] : c[i],
                        DNNL_ARG_WEIGHTS, w, DNNL_ARG_DST, c[i + 1]);
            }
            long[] bnShape = shapes[last[st] + 1];
            boolean lastStage = st == stageCount - 1;
            memory y = lastStage ? buffer("y", bnShape, Use.FORWARD) : (r[st + 1] = buffer("r" + (st + 1), bnShape, Use.KEPT));
            bnForward(st, c[last[st] + 1], y, bnShape, eps);
            if (lastStage) {
                writeOutput(y, bnShape);
            }
        }
        if (!training) {
            return;
        }

        // backward, per stage from the last: BN, convolutions (kernel and input gradients), ReLU in place
        memory dNext = readOutputGradient();
        memory r0 = buffer("r0again", shape, Use.BACKWARD);
        readInputAgain(r0);
        backwardStep(own(new eltwise_forward(reluPd[0])), DNNL_ARG_SRC, r0, DNNL_ARG_DST, r0);
        r[0] = r0;
        memory[] dc = new memory[m + 1];
        for (int st = stageCount - 1; st >= 0; st--) {
            dc[last[st] + 1] = buffer("dc" + (last[st] + 1), shapes[last[st] + 1], Use.BACKWARD);
            bnBackward(st, c[last[st] + 1], dNext, dc[last[st] + 1]);
            memory dr = buffer("dr" + st, shapes[first[st]], Use.BACKWARD);
            for (int i = last[st]; i >= first[st]; i--) {
                Geometry g = geometry[i];
                String key = FusedOpParams.kernel(i);
                memory src = i == first[st] ? r[st] : c[i];
                memory dSrc = i == first[st] ? dr : (dc[i] = buffer("dc" + i, shapes[i], Use.BACKWARD));
                var wPd = own(new convolution_backward_weights.primitive_desc(own(new convolution_backward_weights.desc(
                        direct, mds[i], g.any, mds[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng, pds[i]));
                memory dW = kernelGradient(key, g.user, wPd.diff_weights_desc());
                backwardStep(own(new convolution_backward_weights(wPd)), DNNL_ARG_SRC, src,
                        DNNL_ARG_DIFF_DST, dc[i + 1], DNNL_ARG_DIFF_WEIGHTS, dW);
                storeKernelGradient(key, dW);
                var dPd = own(new convolution_backward_data.primitive_desc(own(new convolution_backward_data.desc(direct,
                        mds[i], g.any, mds[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng, pds[i]));
                memory w = kernel(key, g.user, dPd.weights_desc(), false);
                backwardStep(own(new convolution_backward_data(dPd)), DNNL_ARG_DIFF_DST, dc[i + 1],
                        DNNL_ARG_WEIGHTS, w, DNNL_ARG_DIFF_SRC, dSrc);
            }
            memory.desc rMd = mds[first[st]];
            var relubPd = own(new eltwise_backward.primitive_desc(own(new eltwise_backward.desc(relu, rMd, rMd, 0f, 0f)),
                    eng, reluPd[st]));
            backwardStep(own(new eltwise_backward(relubPd)), DNNL_ARG_DST, r[st], DNNL_ARG_DIFF_DST, dr,
                    DNNL_ARG_DIFF_SRC, dr);
            dNext = dr;
        }
        writeInputGradient(dNext);
    }

    /** A convolution's kernel descriptors, strides, dilation and SAME padding as oneDNN takes them. */
    private static final class Geometry {
        final memory.desc user;
        final memory.desc any;
        final long[] strides;
        final long[] dilates;
        final long[] padL;
        final long[] padR;

        Geometry(Conv c, long[] in, long[] out) {
            int kh = c.getKernelH();
            int kw = c.getKernelW();
            long[] dims = c.isDepthwise() ? new long[]{in[1], 1, 1, kh, kw} : new long[]{out[1], in[1], kh, kw};
            user = OneDnnPlan.md(dims, c.isDepthwise() ? memory.format_tag.goihw : memory.format_tag.oihw);
            any = OneDnnPlan.md(dims, memory.format_tag.any);
            int[] stride = {c.getStrideH(), c.getStrideW()};
            int[] dilation = {c.getDilation(), c.getDilation()};
            int[] pads = SamePadding.pads((int) in[2], (int) in[3], new int[]{kh, kw}, stride, dilation);
            strides = new long[]{stride[0], stride[1]};
            dilates = new long[]{dilation[0] - 1, dilation[1] - 1};
            padL = new long[]{pads[0], pads[1]};
            padR = new long[]{pads[2], pads[3]};
        }
    }
}
