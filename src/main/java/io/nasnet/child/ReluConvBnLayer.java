package io.nasnet.child;

import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The computation of {@link ReluConvBn} on oneDNN: the input reordered to channels-last, ReLU, each
 * convolution, batch normalization, the output reordered back; backprop the same way down. Kept for
 * backprop: the ReLU's output and each convolution's.
 */
public class ReluConvBnLayer extends OneDnnLayer<ReluConvBn> {

    public ReluConvBnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected OneDnnPlan newPlan(long[] shape, boolean training) {
        return new Plan(layerConf(), shape, training);
    }

    private static final class Plan extends OneDnnPlan {

        Plan(ReluConvBn conf, long[] shape, boolean training) {
            super(shape, training);
            List<ReluConvBn.Conv> convs = conf.getConvs();
            int m = convs.size();
            long[][] shapes = new long[m + 1][];
            shapes[0] = shape.clone();
            for (int i = 0; i < m; i++) {
                ReluConvBn.Conv c = convs.get(i);
                long[] in = shapes[i];
                shapes[i + 1] = new long[]{in[0], c.getNOut(), (in[2] + c.getStrideH() - 1) / c.getStrideH(),
                        (in[3] + c.getStrideW() - 1) / c.getStrideW()};
            }
            dnnl.prop_kind prop = training ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
            dnnl.algorithm relu = dnnl.algorithm.eltwise_relu_use_dst_for_bwd;
            dnnl.algorithm direct = dnnl.algorithm.convolution_direct;

            // forward: x -> s0 -> ReLU s0 -> conv s1 -> ... -> conv sm -> BN -> out
            // the ReLU's output is made again for backprop rather than kept: ops reading the same
            // state would each keep a copy of it
            memory[] states = new memory[m + 1];
            memory.desc[] mds = new memory.desc[m + 1];
            for (int i = 0; i <= m; i++) {
                states[i] = buffer("s" + i, shapes[i], i == 0 ? Use.FORWARD : Use.KEPT);
                mds[i] = md(shapes[i], memory.format_tag.nhwc);
            }
            readInput(states[0]);
            var reluPd = own(new eltwise_forward.primitive_desc(own(new eltwise_forward.desc(prop, relu, mds[0], 0f, 0f)), eng));
            forwardStep(own(new eltwise_forward(reluPd)), DNNL_ARG_SRC, states[0], DNNL_ARG_DST, states[0]); // in place
            Geometry[] geometry = new Geometry[m];
            convolution_forward.primitive_desc[] pds = new convolution_forward.primitive_desc[m];
            for (int i = 0; i < m; i++) {
                Geometry g = geometry[i] = new Geometry(convs.get(i), shapes[i], shapes[i + 1]);
                pds[i] = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop, direct,
                        mds[i], g.any, mds[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng));
                memory w = kernel(FusedOpParams.kernel(i), g.user, pds[i].weights_desc(), true);
                forwardStep(own(new convolution_forward(pds[i])), DNNL_ARG_SRC, states[i], DNNL_ARG_WEIGHTS, w,
                        DNNL_ARG_DST, states[i + 1]);
            }
            memory[] diffs = new memory[m + 1];
            for (int i = 0; i <= m; i++) {
                diffs[i] = training ? buffer("ds" + i, shapes[i], Use.BACKWARD) : null;
            }
            batchNorm(states[m], shapes[m], (float) conf.getEps(), diffs[m]);
            if (!training) {
                return;
            }

            // backward: the ReLU's output again; BN -> d(sm) -> conv d(s(m-1)) -> ... -> d(s0) -> ReLU in place -> dx
            memory relu0 = buffer("s0again", shape, Use.BACKWARD);
            readInputAgain(relu0);
            backwardStep(own(new eltwise_forward(reluPd)), DNNL_ARG_SRC, relu0, DNNL_ARG_DST, relu0);
            states[0] = relu0;
            for (int i = m - 1; i >= 0; i--) {
                Geometry g = geometry[i];
                String key = FusedOpParams.kernel(i);
                var wPd = own(new convolution_backward_weights.primitive_desc(own(new convolution_backward_weights.desc(
                        direct, mds[i], g.any, mds[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng, pds[i]));
                memory dW = kernelGradient(key, g.user, wPd.diff_weights_desc());
                backwardStep(own(new convolution_backward_weights(wPd)), DNNL_ARG_SRC, states[i],
                        DNNL_ARG_DIFF_DST, diffs[i + 1], DNNL_ARG_DIFF_WEIGHTS, dW);
                storeKernelGradient(key, dW);
                var dPd = own(new convolution_backward_data.primitive_desc(own(new convolution_backward_data.desc(direct,
                        mds[i], g.any, mds[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng, pds[i]));
                memory w = kernel(key, g.user, dPd.weights_desc(), false);
                backwardStep(own(new convolution_backward_data(dPd)), DNNL_ARG_DIFF_DST, diffs[i + 1],
                        DNNL_ARG_WEIGHTS, w, DNNL_ARG_DIFF_SRC, diffs[i]);
            }
            var relubPd = own(new eltwise_backward.primitive_desc(own(new eltwise_backward.desc(relu, mds[0], mds[0], 0f, 0f)),
                    eng, reluPd));
            backwardStep(own(new eltwise_backward(relubPd)), DNNL_ARG_DST, states[0], DNNL_ARG_DIFF_DST, diffs[0],
                    DNNL_ARG_DIFF_SRC, diffs[0]);
            writeInputGradient(diffs[0]);
        }
    }

    /** A convolution's kernel descriptors, strides, dilation and SAME padding as oneDNN takes them. */
    private static final class Geometry {
        final memory.desc user;
        final memory.desc any;
        final long[] strides;
        final long[] dilates;
        final long[] padL;
        final long[] padR;

        Geometry(ReluConvBn.Conv c, long[] in, long[] out) {
            int kh = c.getKernelH();
            int kw = c.getKernelW();
            long[] dims = c.isDepthwise() ? new long[]{in[1], 1, 1, kh, kw} : new long[]{out[1], in[1], kh, kw};
            user = OneDnnPlan.md(dims, c.isDepthwise() ? memory.format_tag.goihw : memory.format_tag.oihw);
            any = OneDnnPlan.md(dims, memory.format_tag.any);
            int[] outSize = {(int) out[2], (int) out[3]};
            int[] inSize = {(int) in[2], (int) in[3]};
            int[] kernel = {kh, kw};
            int[] stride = {c.getStrideH(), c.getStrideW()};
            int[] dilation = {c.getDilation(), c.getDilation()};
            int[] top = ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, stride, dilation);
            int[] bottom = ConvolutionUtils.getSameModeBottomRightPadding(outSize, inSize, kernel, stride, dilation);
            strides = new long[]{stride[0], stride[1]};
            dilates = new long[]{dilation[0] - 1, dilation[1] - 1};
            padL = new long[]{top[0], top[1]};
            padR = new long[]{bottom[0], bottom[1]};
        }
    }
}
