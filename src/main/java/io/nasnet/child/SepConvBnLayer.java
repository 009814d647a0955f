package io.nasnet.child;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The computation of {@link SepConvBn} on oneDNN. Activations enter as ND4J's NCHW arrays and leave
 * as such; in between every step works on channels-last copies, the layout oneDNN's depthwise, 1x1
 * and batch-norm kernels take without conversion. What backprop needs from the forward pass (the
 * ReLU's output, the depthwise output, the 1x1 output, the batch statistics) is kept in DL4J's
 * activation workspace; the other intermediates live in its working memory.
 */
public class SepConvBnLayer extends BaseLayer<SepConvBn> {

    /** Plans by input shape and mode; a few shapes occur (the batch, the last smaller batch, evaluation). */
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private Plan trained;
    private INDArray keptRelu;
    private INDArray keptDepthwise;
    private INDArray keptPointwise;

    public SepConvBnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = floats(input, "input");
        Plan plan = plan(x.shape(), training);
        ArrayType keep = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
        INDArray r = mgr.createUninitialized(keep, DataType.FLOAT, plan.inShape, 'c');
        INDArray h = mgr.createUninitialized(keep, DataType.FLOAT, plan.midShape, 'c');
        INDArray z = mgr.createUninitialized(keep, DataType.FLOAT, plan.outShape, 'c');
        INDArray xs = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, plan.inShape, 'c');
        INDArray y = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, plan.outShape, 'c');
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, plan.outShape, 'c');
        plan.forward(x, xs, r, h, z, y, out, paramTable());
        if (training) {
            trained = plan;
            keptRelu = r;
            keptDepthwise = h;
            keptPointwise = z;
        }
        NativeMemory.release();
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (trained == null || !Arrays.equals(trained.inShape, input.shape())) {
            throw new IllegalStateException("layer \"" + layerConf().getLayerName()
                    + "\": backprop without a training forward pass on this input");
        }
        Plan plan = trained;
        INDArray dy = floats(epsilon, "gradient");
        INDArray dys = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, plan.outShape, 'c');
        INDArray dz = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, plan.outShape, 'c');
        INDArray dh = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, plan.midShape, 'c');
        INDArray dr = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, plan.inShape, 'c');
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, plan.inShape, 'c');
        plan.backward(dy, dys, keptRelu, keptDepthwise, keptPointwise, dz, dh, dr, dx, paramTable(), gradientViews);
        double decay = layerConf().getDecay();
        runningStatGradient(SepConvBnParams.MEAN, plan.batchMean(), decay);
        runningStatGradient(SepConvBnParams.VAR, plan.batchVariance(), decay);
        Gradient g = new DefaultGradient();
        for (String key : SepConvBnParams.KEYS) {
            g.setGradientFor(key, gradientViews.get(key));
        }
        trained = null;
        keptRelu = keptDepthwise = keptPointwise = null;
        NativeMemory.release();
        return new Pair<>(g, dx);
    }

    /** DL4J's distributed-safe running statistics: a step of {@code (1 - decay) * (running - batch)}, no updater. */
    private void runningStatGradient(String key, float[] batch, double decay) {
        INDArray running = getParam(key);
        float[] step = new float[batch.length];
        for (int i = 0; i < batch.length; i++) {
            step[i] = (float) ((1 - decay) * (running.getDouble(0, i) - batch[i]));
        }
        gradientViews.get(key).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(step).reshape(1, step.length));
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !SepConvBnParams.RUNNING_STATS.contains(paramName);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    private INDArray floats(INDArray a, String what) {
        if (a.dataType() != DataType.FLOAT || a.rank() != 4) {
            throw new IllegalStateException("layer \"" + layerConf().getLayerName() + "\" (oneDNN) takes a rank-4 FLOAT "
                    + what + ", got " + a.dataType() + " " + Arrays.toString(a.shape()));
        }
        return Layers.contiguous(a);
    }

    private Plan plan(long[] shape, boolean training) {
        String key = Arrays.toString(shape) + training;
        Plan p = plans.get(key);
        if (p == null) {
            if (plans.size() >= 4) {
                plans.remove(plans.keySet().iterator().next()).close();
            }
            SepConvBn c = layerConf();
            p = new Plan(shape, (int) c.getNOut(), c.getKernel(), c.getStride(), (float) c.getEps(), training);
            plans.put(key, p);
        }
        return p;
    }

    /**
     * oneDNN's primitives for one input shape: built once (oneDNN generates their code then), run
     * every iteration on the arrays of that pass. Memory objects carry no buffer of their own except
     * the weights in the layouts the primitives chose and the batch statistics.
     */
    static final class Plan implements AutoCloseable {

        /** JavaCPP's oneDNN library, loaded once; a machine without it builds four-layer ops instead. */
        static final Library LIBRARY = new Library();

        final long[] inShape;
        final long[] midShape;
        final long[] outShape;
        private final List<Pointer> owned = new ArrayList<>();
        private final stream stream;
        private final List<Step> forward = new ArrayList<>();
        private final List<Step> backward = new ArrayList<>();
        private final Map<String, memory> handles = new LinkedHashMap<>();
        private final memory mean;
        private final memory variance;
        private final int channelsOut;

        /** A primitive with its arguments. */
        private record Step(primitive p, IntMemoryMap args) {
        }

        Plan(long[] shape, int f, int k, int s, float eps, boolean training) {
            LIBRARY.require();
            engine eng = LIBRARY.engine;
            long n = shape[0];
            long c = shape[1];
            long h = shape[2];
            long w = shape[3];
            long oh = (h + s - 1) / s;
            long ow = (w + s - 1) / s;
            channelsOut = f;
            inShape = shape.clone();
            midShape = new long[]{n, c, oh, ow};
            outShape = new long[]{n, f, oh, ow};
            int[] top = ConvolutionUtils.getSameModeTopLeftPadding(new int[]{(int) oh, (int) ow}, new int[]{(int) h, (int) w},
                    new int[]{k, k}, new int[]{s, s}, new int[]{1, 1});
            long[] padL = {top[0], top[1]};
            long[] padR = {(oh - 1) * s + k - h - top[0], (ow - 1) * s + k - w - top[1]};
            long[] stride = {s, s};
            long[] one = {1, 1};
            long[] zero = {0, 0};
            stream = own(new stream(eng));
            org.bytedeco.dnnl.global.dnnl.prop_kind prop = training
                    ? org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training
                    : org.bytedeco.dnnl.global.dnnl.prop_kind.forward_inference;
            org.bytedeco.dnnl.global.dnnl.algorithm relu = org.bytedeco.dnnl.global.dnnl.algorithm.eltwise_relu_use_dst_for_bwd;
            org.bytedeco.dnnl.global.dnnl.algorithm direct = org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct;

            memory.desc in = md(inShape, memory.format_tag.nhwc);
            memory.desc mid = md(midShape, memory.format_tag.nhwc);
            memory.desc out = md(outShape, memory.format_tag.nhwc);
            memory.desc dwUser = md(new long[]{c, 1, 1, k, k}, memory.format_tag.goihw);
            memory.desc pwUser = md(new long[]{f, c, 1, 1}, memory.format_tag.oihw);
            memory.desc dwAny = md(new long[]{c, 1, 1, k, k}, memory.format_tag.any);
            memory.desc pwAny = md(new long[]{f, c, 1, 1}, memory.format_tag.any);

            var reluPd = own(new eltwise_forward.primitive_desc(own(new eltwise_forward.desc(prop, relu, in, 0f, 0f)), eng));
            var dwPd = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop, direct, in, dwAny, mid,
                    stride, padL, padR)), eng));
            var pwPd = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop, direct, mid, pwAny, out,
                    one, zero, zero)), eng));
            int flags = org.bytedeco.dnnl.global.dnnl.normalization_flags.use_scale_shift.value
                    | (training ? 0 : org.bytedeco.dnnl.global.dnnl.normalization_flags.use_global_stats.value);
            var bnPd = own(new batch_normalization_forward.primitive_desc(own(new batch_normalization_forward.desc(prop.value, out,
                    eps, flags)), eng));

            // forward: x (NCHW) -> xs -> relu r -> depthwise h -> 1x1 z -> BN y -> out (NCHW)
            memory xU = handle("x", md(inShape, memory.format_tag.nchw));
            memory xs = handle("xs", in);
            memory r = handle("r", in);
            memory hm = handle("h", mid);
            memory z = handle("z", out);
            memory y = handle("y", out);
            memory outU = handle("out", md(outShape, memory.format_tag.nchw));
            memory dwW = weights(handle("dW", dwUser), dwPd.weights_desc(), forward);
            memory pwW = weights(handle("pW", pwUser), pwPd.weights_desc(), forward);
            memory ss = handle("scaleShift", bnPd.weights_desc());
            mean = training ? own(new memory(bnPd.mean_desc(), eng)) : handle("mean", bnPd.mean_desc());
            variance = training ? own(new memory(bnPd.variance_desc(), eng)) : handle("var", bnPd.variance_desc());
            forward.add(new Step(own(new reorder(xU, xs)), args(DNNL_ARG_SRC, xU, DNNL_ARG_DST, xs)));
            forward.add(new Step(own(new eltwise_forward(reluPd)), args(DNNL_ARG_SRC, xs, DNNL_ARG_DST, r)));
            forward.add(new Step(own(new convolution_forward(dwPd)), args(DNNL_ARG_SRC, r, DNNL_ARG_WEIGHTS, dwW, DNNL_ARG_DST, hm)));
            forward.add(new Step(own(new convolution_forward(pwPd)), args(DNNL_ARG_SRC, hm, DNNL_ARG_WEIGHTS, pwW, DNNL_ARG_DST, z)));
            forward.add(new Step(own(new batch_normalization_forward(bnPd)), args(DNNL_ARG_SRC, z, DNNL_ARG_DST, y,
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE_SHIFT, ss)));
            forward.add(new Step(own(new reorder(y, outU)), args(DNNL_ARG_SRC, y, DNNL_ARG_DST, outU)));
            if (!training) {
                return;
            }

            // backward: dy (NCHW) -> dys -> BN dz -> 1x1 dh -> depthwise dr -> relu dr -> dx (NCHW)
            var bnbPd = own(new batch_normalization_backward.primitive_desc(own(new batch_normalization_backward.desc(
                    org.bytedeco.dnnl.global.dnnl.prop_kind.backward, out, out, eps,
                    org.bytedeco.dnnl.global.dnnl.normalization_flags.use_scale_shift)), eng, bnPd));
            var pwdPd = own(new convolution_backward_data.primitive_desc(own(new convolution_backward_data.desc(direct, mid, pwAny,
                    out, one, zero, zero)), eng, pwPd));
            var pwwPd = own(new convolution_backward_weights.primitive_desc(own(new convolution_backward_weights.desc(direct, mid,
                    pwAny, out, one, zero, zero)), eng, pwPd));
            var dwdPd = own(new convolution_backward_data.primitive_desc(own(new convolution_backward_data.desc(direct, in, dwAny,
                    mid, stride, padL, padR)), eng, dwPd));
            var dwwPd = own(new convolution_backward_weights.primitive_desc(own(new convolution_backward_weights.desc(direct, in,
                    dwAny, mid, stride, padL, padR)), eng, dwPd));
            var relubPd = own(new eltwise_backward.primitive_desc(own(new eltwise_backward.desc(relu, in, in, 0f, 0f)), eng, reluPd));

            memory dyU = handle("dy", md(outShape, memory.format_tag.nchw));
            memory dys = handle("dys", out);
            memory dz = handle("dz", out);
            memory dh = handle("dh", mid);
            memory dr = handle("dr", in);
            memory dxU = handle("dx", md(inShape, memory.format_tag.nchw));
            memory dss = handle("dScaleShift", bnPd.weights_desc());
            memory pwWd = weights(handle("pW", pwUser), pwdPd.weights_desc(), backward);
            memory dwWd = weights(handle("dW", dwUser), dwdPd.weights_desc(), backward);
            backward.add(new Step(own(new reorder(dyU, dys)), args(DNNL_ARG_SRC, dyU, DNNL_ARG_DST, dys)));
            backward.add(new Step(own(new batch_normalization_backward(bnbPd)), args(DNNL_ARG_SRC, z, DNNL_ARG_MEAN, mean,
                    DNNL_ARG_VARIANCE, variance, DNNL_ARG_DIFF_DST, dys, DNNL_ARG_SCALE_SHIFT, ss, DNNL_ARG_DIFF_SRC, dz,
                    DNNL_ARG_DIFF_SCALE_SHIFT, dss)));
            backward.add(new Step(own(new convolution_backward_data(pwdPd)), args(DNNL_ARG_DIFF_DST, dz, DNNL_ARG_WEIGHTS, pwWd,
                    DNNL_ARG_DIFF_SRC, dh)));
            memory pwGrad = diffWeights(pwwPd.diff_weights_desc(), handle("dpW", pwUser));
            backward.add(new Step(own(new convolution_backward_weights(pwwPd)), args(DNNL_ARG_SRC, hm, DNNL_ARG_DIFF_DST, dz,
                    DNNL_ARG_DIFF_WEIGHTS, pwGrad)));
            addReorderIfNeeded(pwGrad, handles.get("dpW"), backward);
            backward.add(new Step(own(new convolution_backward_data(dwdPd)), args(DNNL_ARG_DIFF_DST, dh, DNNL_ARG_WEIGHTS, dwWd,
                    DNNL_ARG_DIFF_SRC, dr)));
            memory dwGrad = diffWeights(dwwPd.diff_weights_desc(), handle("ddW", dwUser));
            backward.add(new Step(own(new convolution_backward_weights(dwwPd)), args(DNNL_ARG_SRC, r, DNNL_ARG_DIFF_DST, dh,
                    DNNL_ARG_DIFF_WEIGHTS, dwGrad)));
            addReorderIfNeeded(dwGrad, handles.get("ddW"), backward);
            backward.add(new Step(own(new eltwise_backward(relubPd)), args(DNNL_ARG_DST, r, DNNL_ARG_DIFF_DST, dr,
                    DNNL_ARG_DIFF_SRC, dr)));
            backward.add(new Step(own(new reorder(dr, dxU)), args(DNNL_ARG_SRC, dr, DNNL_ARG_DST, dxU)));
        }

        void forward(INDArray x, INDArray xs, INDArray r, INDArray h, INDArray z, INDArray y, INDArray out,
                     Map<String, INDArray> params) {
            set("x", x);
            set("xs", xs);
            set("r", r);
            set("h", h);
            set("z", z);
            set("y", y);
            set("out", out);
            set("dW", params.get(SepConvBnParams.DEPTHWISE));
            set("pW", params.get(SepConvBnParams.POINTWISE));
            set("scaleShift", params.get(SepConvBnParams.GAMMA)); // gamma, then beta right after it
            if (handles.containsKey("mean")) {
                set("mean", params.get(SepConvBnParams.MEAN));
                set("var", params.get(SepConvBnParams.VAR));
            }
            run(forward);
        }

        void backward(INDArray dy, INDArray dys, INDArray r, INDArray h, INDArray z, INDArray dz, INDArray dh,
                      INDArray dr, INDArray dx, Map<String, INDArray> params, Map<String, INDArray> grads) {
            set("dy", dy);
            set("dys", dys);
            set("r", r);
            set("h", h);
            set("z", z);
            set("dz", dz);
            set("dh", dh);
            set("dr", dr);
            set("dx", dx);
            set("dW", params.get(SepConvBnParams.DEPTHWISE));
            set("pW", params.get(SepConvBnParams.POINTWISE));
            set("scaleShift", params.get(SepConvBnParams.GAMMA));
            set("dScaleShift", grads.get(SepConvBnParams.GAMMA)); // dgamma, then dbeta right after it
            set("dpW", grads.get(SepConvBnParams.POINTWISE));
            set("ddW", grads.get(SepConvBnParams.DEPTHWISE));
            run(backward);
        }

        float[] batchMean() {
            return read(mean);
        }

        float[] batchVariance() {
            return read(variance);
        }

        private float[] read(memory m) {
            float[] v = new float[channelsOut];
            new FloatPointer(m.get_data_handle()).get(v);
            return v;
        }

        private void run(List<Step> steps) {
            for (Step step : steps) {
                step.p().execute(stream, step.args());
            }
            stream._wait();
        }

        private void set(String name, INDArray a) {
            handles.get(name).set_data_handle(address(a));
        }

        /** The first element of {@code a}: ND4J's data buffer of a view already starts there, as its native ops take it. */
        private static Pointer address(INDArray a) {
            return a.data().addressPointer();
        }

        /** A memory object of {@code desc} whose buffer is set before each pass. */
        private memory handle(String name, memory.desc desc) {
            return handles.computeIfAbsent(name, k -> own(new memory(desc, LIBRARY.engine, (Pointer) null)));
        }

        /** The user's weights as the primitive wants them: themselves, or a copy reordered at the start of each pass. */
        private memory weights(memory user, memory.desc wanted, List<Step> pass) {
            if (wanted.equals(user.get_desc())) {
                return user;
            }
            memory m = own(new memory(wanted, LIBRARY.engine));
            pass.add(new Step(own(new reorder(user, m)), args(DNNL_ARG_SRC, user, DNNL_ARG_DST, m)));
            return m;
        }

        private memory diffWeights(memory.desc produced, memory user) {
            return produced.equals(user.get_desc()) ? user : own(new memory(produced, LIBRARY.engine));
        }

        private void addReorderIfNeeded(memory produced, memory user, List<Step> pass) {
            if (produced != user) {
                pass.add(new Step(own(new reorder(produced, user)), args(DNNL_ARG_SRC, produced, DNNL_ARG_DST, user)));
            }
        }

        private IntMemoryMap args(Object... keyValues) {
            IntMemoryMap m = own(new IntMemoryMap());
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put((Integer) keyValues[i], (memory) keyValues[i + 1]);
            }
            return m;
        }

        private static memory.desc md(long[] dims, memory.format_tag tag) {
            return new memory.desc(dims, memory.data_type.f32, tag);
        }

        private <T extends Pointer> T own(T p) {
            owned.add(p);
            return p;
        }

        @Override
        public void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                owned.get(i).close();
            }
            owned.clear();
        }
    }

    /** oneDNN's CPU engine from JavaCPP's preset, if its native library loads here. */
    static final class Library {

        private final engine engine;
        private final Throwable failure;

        private Library() {
            engine e = null;
            Throwable t = null;
            try {
                Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                e = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
            } catch (Throwable ex) {
                t = ex;
            }
            engine = e;
            failure = t;
        }

        boolean loaded() {
            return engine != null;
        }

        void require() {
            if (engine == null) {
                throw new IllegalStateException("oneDNN (JavaCPP's dnnl preset) does not load on this machine: "
                        + failure, failure);
            }
        }
    }
}
