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
import org.bytedeco.dnnl.global.dnnl;
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
import org.nd4j.linalg.factory.Nd4j;

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
 * The computation of {@link ReluConvBn} on oneDNN. Activations enter as ND4J's NCHW arrays and leave
 * as such; in between every step works on channels-last copies, the layout oneDNN's depthwise, 1x1
 * and batch-norm kernels take without conversion. What backprop needs from the forward pass (the
 * ReLU's output, each convolution's output, the batch statistics) is kept in DL4J's activation
 * workspace; the other intermediates live in its working memory.
 */
public class ReluConvBnLayer extends BaseLayer<ReluConvBn> {

    /** Plans by input shape and mode; a few shapes occur (the batch, the last smaller batch, evaluation). */
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private Plan trained;
    /** The ReLU's output, then each convolution's, from the last training forward pass. */
    private INDArray[] kept;

    public ReluConvBnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = floats(input, "input");
        Plan plan = plan(x.shape(), training);
        ArrayType keep = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
        INDArray[] states = new INDArray[plan.shapes.length];
        for (int i = 0; i < states.length; i++) {
            states[i] = mgr.createUninitialized(keep, DataType.FLOAT, plan.shapes[i], 'c');
        }
        INDArray xs = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, plan.shapes[0], 'c');
        INDArray y = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, plan.outShape(), 'c');
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, plan.outShape(), 'c');
        plan.forward(x, xs, states, y, out, paramTable());
        if (training) {
            trained = plan;
            kept = states;
        }
        NativeMemory.release();
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (trained == null || !Arrays.equals(trained.shapes[0], input.shape())) {
            throw new IllegalStateException("layer \"" + layerConf().getLayerName()
                    + "\": backprop without a training forward pass on this input");
        }
        Plan plan = trained;
        INDArray dy = floats(epsilon, "gradient");
        INDArray dys = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, plan.outShape(), 'c');
        INDArray[] dStates = new INDArray[plan.shapes.length];
        for (int i = 0; i < dStates.length; i++) {
            dStates[i] = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, plan.shapes[i], 'c');
        }
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, plan.shapes[0], 'c');
        plan.backward(dy, dys, kept, dStates, dx, paramTable(), gradientViews);
        double decay = layerConf().getDecay();
        runningStatGradient(ReluConvBnParams.MEAN, plan.batchMean(), decay);
        runningStatGradient(ReluConvBnParams.VAR, plan.batchVariance(), decay);
        Gradient g = new DefaultGradient();
        for (String key : layerConf().initializer().paramKeys(layerConf())) {
            g.setGradientFor(key, gradientViews.get(key));
        }
        trained = null;
        kept = null;
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
        gradientViews.get(key).assign(Nd4j.createFromArray(step).reshape(1, step.length));
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !ReluConvBnParams.RUNNING_STATS.contains(paramName);
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
            p = new Plan(layerConf(), shape, training);
            plans.put(key, p);
        }
        return p;
    }

    /**
     * oneDNN's primitives for one input shape: built once (oneDNN generates their code then), run
     * every iteration on the arrays of that pass. Memory objects carry no buffer of their own except
     * the kernels in the layouts the primitives chose and the batch statistics.
     */
    static final class Plan implements AutoCloseable {

        /** JavaCPP's oneDNN library, loaded once; a machine without it builds separate layers instead. */
        static final Library LIBRARY = new Library();

        /** The ReLU's output (the input's shape), then each convolution's output: NCHW dimensions. */
        final long[][] shapes;
        private final int convs;
        private final List<Pointer> owned = new ArrayList<>();
        private final stream stream;
        private final List<Step> forward = new ArrayList<>();
        private final List<Step> backward = new ArrayList<>();
        private final Map<String, memory> handles = new LinkedHashMap<>();
        private final memory mean;
        private final memory variance;

        /** A primitive with its arguments. */
        private record Step(primitive p, IntMemoryMap args) {
        }

        Plan(ReluConvBn conf, long[] shape, boolean training) {
            LIBRARY.require();
            engine eng = LIBRARY.engine;
            List<ReluConvBn.Conv> cs = conf.getConvs();
            convs = cs.size();
            shapes = new long[convs + 1][];
            shapes[0] = shape.clone();
            for (int i = 0; i < convs; i++) {
                ReluConvBn.Conv c = cs.get(i);
                long[] in = shapes[i];
                shapes[i + 1] = new long[]{in[0], c.getNOut(), (in[2] + c.getStrideH() - 1) / c.getStrideH(),
                        (in[3] + c.getStrideW() - 1) / c.getStrideW()};
            }
            float eps = (float) conf.getEps();
            stream = own(new stream(eng));
            dnnl.prop_kind prop = training ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
            dnnl.algorithm relu = dnnl.algorithm.eltwise_relu_use_dst_for_bwd;
            dnnl.algorithm direct = dnnl.algorithm.convolution_direct;

            // forward: x (NCHW) -> xs -> ReLU s0 -> conv s1 -> ... -> conv sm -> BN y -> out (NCHW)
            memory.desc[] nhwc = new memory.desc[convs + 1];
            memory[] states = new memory[convs + 1];
            for (int i = 0; i <= convs; i++) {
                nhwc[i] = md(shapes[i], memory.format_tag.nhwc);
                states[i] = handle("s" + i, nhwc[i]);
            }
            memory.desc out = nhwc[convs];
            memory xU = handle("x", md(shapes[0], memory.format_tag.nchw));
            memory xs = handle("xs", nhwc[0]);
            memory y = handle("y", out);
            memory outU = handle("out", md(outShape(), memory.format_tag.nchw));
            var reluPd = own(new eltwise_forward.primitive_desc(own(new eltwise_forward.desc(prop, relu, nhwc[0], 0f, 0f)), eng));
            forward.add(new Step(own(new reorder(xU, xs)), args(DNNL_ARG_SRC, xU, DNNL_ARG_DST, xs)));
            forward.add(new Step(own(new eltwise_forward(reluPd)), args(DNNL_ARG_SRC, xs, DNNL_ARG_DST, states[0])));
            convolution_forward.primitive_desc[] convPds = new convolution_forward.primitive_desc[convs];
            Geometry[] geometry = new Geometry[convs];
            for (int i = 0; i < convs; i++) {
                geometry[i] = new Geometry(cs.get(i), shapes[i], shapes[i + 1]);
                Geometry g = geometry[i];
                convPds[i] = own(new convolution_forward.primitive_desc(own(new convolution_forward.desc(prop, direct,
                        nhwc[i], g.any, nhwc[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng));
                memory w = weights(handle("W" + i, g.user), convPds[i].weights_desc(), forward);
                forward.add(new Step(own(new convolution_forward(convPds[i])),
                        args(DNNL_ARG_SRC, states[i], DNNL_ARG_WEIGHTS, w, DNNL_ARG_DST, states[i + 1])));
            }
            int flags = dnnl.normalization_flags.use_scale_shift.value
                    | (training ? 0 : dnnl.normalization_flags.use_global_stats.value);
            var bnPd = own(new batch_normalization_forward.primitive_desc(own(new batch_normalization_forward.desc(prop.value,
                    out, eps, flags)), eng));
            memory ss = handle("scaleShift", bnPd.weights_desc());
            mean = training ? own(new memory(bnPd.mean_desc(), eng)) : handle("mean", bnPd.mean_desc());
            variance = training ? own(new memory(bnPd.variance_desc(), eng)) : handle("var", bnPd.variance_desc());
            forward.add(new Step(own(new batch_normalization_forward(bnPd)), args(DNNL_ARG_SRC, states[convs], DNNL_ARG_DST, y,
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE_SHIFT, ss)));
            forward.add(new Step(own(new reorder(y, outU)), args(DNNL_ARG_SRC, y, DNNL_ARG_DST, outU)));
            if (!training) {
                return;
            }

            // backward: dy (NCHW) -> dys -> BN d(sm) -> conv d(s(m-1)) -> ... -> d(s0) -> ReLU in place -> dx (NCHW)
            memory dyU = handle("dy", md(outShape(), memory.format_tag.nchw));
            memory dys = handle("dys", out);
            memory[] dStates = new memory[convs + 1];
            for (int i = 0; i <= convs; i++) {
                dStates[i] = handle("ds" + i, nhwc[i]);
            }
            memory dxU = handle("dx", md(shapes[0], memory.format_tag.nchw));
            memory dss = handle("dScaleShift", bnPd.weights_desc());
            var bnbPd = own(new batch_normalization_backward.primitive_desc(own(new batch_normalization_backward.desc(
                    dnnl.prop_kind.backward, out, out, eps, dnnl.normalization_flags.use_scale_shift)), eng, bnPd));
            backward.add(new Step(own(new reorder(dyU, dys)), args(DNNL_ARG_SRC, dyU, DNNL_ARG_DST, dys)));
            backward.add(new Step(own(new batch_normalization_backward(bnbPd)), args(DNNL_ARG_SRC, states[convs],
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_DIFF_DST, dys, DNNL_ARG_SCALE_SHIFT, ss,
                    DNNL_ARG_DIFF_SRC, dStates[convs], DNNL_ARG_DIFF_SCALE_SHIFT, dss)));
            for (int i = convs - 1; i >= 0; i--) {
                Geometry g = geometry[i];
                var wPd = own(new convolution_backward_weights.primitive_desc(own(new convolution_backward_weights.desc(direct,
                        nhwc[i], g.any, nhwc[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng, convPds[i]));
                memory gradUser = handle("dW" + i, g.user);
                memory grad = wPd.diff_weights_desc().equals(gradUser.get_desc()) ? gradUser
                        : own(new memory(wPd.diff_weights_desc(), eng));
                backward.add(new Step(own(new convolution_backward_weights(wPd)), args(DNNL_ARG_SRC, states[i],
                        DNNL_ARG_DIFF_DST, dStates[i + 1], DNNL_ARG_DIFF_WEIGHTS, grad)));
                if (grad != gradUser) {
                    backward.add(new Step(own(new reorder(grad, gradUser)), args(DNNL_ARG_SRC, grad, DNNL_ARG_DST, gradUser)));
                }
                var dPd = own(new convolution_backward_data.primitive_desc(own(new convolution_backward_data.desc(direct,
                        nhwc[i], g.any, nhwc[i + 1], g.strides, g.dilates, g.padL, g.padR)), eng, convPds[i]));
                memory w = weights(handle("W" + i, g.user), dPd.weights_desc(), backward);
                backward.add(new Step(own(new convolution_backward_data(dPd)), args(DNNL_ARG_DIFF_DST, dStates[i + 1],
                        DNNL_ARG_WEIGHTS, w, DNNL_ARG_DIFF_SRC, dStates[i])));
            }
            var relubPd = own(new eltwise_backward.primitive_desc(own(new eltwise_backward.desc(relu, nhwc[0], nhwc[0], 0f, 0f)),
                    eng, reluPd));
            backward.add(new Step(own(new eltwise_backward(relubPd)), args(DNNL_ARG_DST, states[0],
                    DNNL_ARG_DIFF_DST, dStates[0], DNNL_ARG_DIFF_SRC, dStates[0])));
            backward.add(new Step(own(new reorder(dStates[0], dxU)), args(DNNL_ARG_SRC, dStates[0], DNNL_ARG_DST, dxU)));
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
                user = md(dims, c.isDepthwise() ? memory.format_tag.goihw : memory.format_tag.oihw);
                any = md(dims, memory.format_tag.any);
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

        long[] outShape() {
            return shapes[convs];
        }

        void forward(INDArray x, INDArray xs, INDArray[] states, INDArray y, INDArray out, Map<String, INDArray> params) {
            set("x", x);
            set("xs", xs);
            for (int i = 0; i <= convs; i++) {
                set("s" + i, states[i]);
            }
            set("y", y);
            set("out", out);
            setParams(params);
            if (handles.containsKey("mean")) {
                set("mean", params.get(ReluConvBnParams.MEAN));
                set("var", params.get(ReluConvBnParams.VAR));
            }
            run(forward);
        }

        void backward(INDArray dy, INDArray dys, INDArray[] states, INDArray[] dStates, INDArray dx,
                      Map<String, INDArray> params, Map<String, INDArray> grads) {
            set("dy", dy);
            set("dys", dys);
            for (int i = 0; i <= convs; i++) {
                set("s" + i, states[i]);
                set("ds" + i, dStates[i]);
                if (i < convs) {
                    set("dW" + i, grads.get(ReluConvBnParams.kernel(i)));
                }
            }
            set("dx", dx);
            setParams(params);
            set("dScaleShift", grads.get(ReluConvBnParams.GAMMA)); // dgamma, then dbeta right after it
            run(backward);
        }

        private void setParams(Map<String, INDArray> params) {
            for (int i = 0; i < convs; i++) {
                set("W" + i, params.get(ReluConvBnParams.kernel(i)));
            }
            set("scaleShift", params.get(ReluConvBnParams.GAMMA)); // gamma, then beta right after it
        }

        float[] batchMean() {
            return read(mean);
        }

        float[] batchVariance() {
            return read(variance);
        }

        private float[] read(memory m) {
            float[] v = new float[(int) outShape()[1]];
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

        /** The user's kernel as the primitive wants it: itself, or a copy reordered at the start of each pass. */
        private memory weights(memory user, memory.desc wanted, List<Step> pass) {
            if (wanted.equals(user.get_desc())) {
                return user;
            }
            memory m = own(new memory(wanted, LIBRARY.engine));
            pass.add(0, new Step(own(new reorder(user, m)), args(DNNL_ARG_SRC, user, DNNL_ARG_DST, m)));
            return m;
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
