package io.nasnet.child.onednn;


import io.nasnet.child.runtime.Dl4jRuntime;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;

/**
 * oneDNN's primitives for one layer and one input shape: built once (oneDNN generates their code
 * then), run every iteration on that pass's arrays. A subclass declares the arrays it works on
 * ({@link #buffer}: channels-last, from DL4J's workspaces, set before each pass), binds the layer's
 * parameters and gradients by key, and appends the forward and backward steps; memory objects hold no
 * data of their own except kernels in the layouts the primitives chose and the batch statistics,
 * which the layer turns into running averages.
 */
abstract class OneDnnPlan implements AutoCloseable {

    /** JavaCPP's oneDNN library, loaded once; a machine without it builds separate layers instead. */
    static final Library LIBRARY = new Library();

    /** When a buffer is needed: from the forward pass to backprop, or within one pass. */
    enum Use { KEPT, FORWARD, BACKWARD }

    /** An array the plan works on: NCHW dimensions, stored channels-last. */
    record Buffer(String name, long[] shape, Use use) {
    }

    /** A primitive with its arguments. */
    private record Step(primitive p, IntMemoryMap args) {
    }

    /** A batch normalization's forward primitive and where its statistics go. */
    private record BatchNorm(batch_normalization_forward.primitive_desc pd, memory.desc md, float eps, memory mean,
                             memory variance, long channels) {
    }

    final long[] inShape;
    final boolean training;
    protected final engine eng;
    private final List<Pointer> owned = new ArrayList<>();
    private final stream stream;
    private final List<Step> forward = new ArrayList<>();
    private final List<Step> backward = new ArrayList<>();
    private final Map<String, memory> handles = new LinkedHashMap<>();
    /** Handle name -> name of the buffer, parameter or gradient whose array it reads. */
    private final Map<String, String> sources = new LinkedHashMap<>();
    /** The arrays (by source name) each pass's steps read or write: what a pass must be given. */
    private final Set<String> forwardUses = new HashSet<>();
    private final Set<String> backwardUses = new HashSet<>();
    private final Map<memory, String> sourceOf = new IdentityHashMap<>();
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    private long[] outShape;

    protected OneDnnPlan(long[] inShape, boolean training) {
        LIBRARY.require();
        this.inShape = inShape.clone();
        this.training = training;
        this.eng = LIBRARY.engine;
        this.stream = own(new stream(eng));
    }

    long[] outShape() {
        return outShape;
    }

    List<Buffer> buffers() {
        return buffers;
    }

    // ---- declaring ----

    /** The layer's input (NCHW) reordered into {@code into}; the first forward step. */
    protected void readInput(memory into) {
        memory x = handle("x", md(inShape, memory.format_tag.nchw), "x");
        forwardStep(own(new reorder(x, into)), DNNL_ARG_SRC, x, DNNL_ARG_DST, into);
    }

    /** The layer's input (NCHW) reordered into {@code into} again during backprop. */
    protected void readInputAgain(memory into) {
        memory x = handle("x", md(inShape, memory.format_tag.nchw), "x");
        backwardStep(own(new reorder(x, into)), DNNL_ARG_SRC, x, DNNL_ARG_DST, into);
    }

    /**
     * Forward step: batch normalization {@code b} of the layer, {@code src} into {@code dst}
     * (channels-last, NCHW dimensions {@code shape}), with the batch's statistics in training and the
     * running averages at inference, gamma and beta from the parameters.
     */
    protected void bnForward(int b, memory src, memory dst, long[] shape, float eps) {
        memory.desc md = md(shape, memory.format_tag.nhwc);
        int flags = dnnl.normalization_flags.use_scale_shift.value
                | (training ? 0 : dnnl.normalization_flags.use_global_stats.value);
        dnnl.prop_kind prop = training ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
        var pd = own(new batch_normalization_forward.primitive_desc(own(new batch_normalization_forward.desc(prop.value,
                md, eps, flags)), eng));
        memory ss = param(FusedOpParams.gamma(b), pd.weights_desc()); // gamma, then beta right after it
        memory mean = training ? own(new memory(pd.mean_desc(), eng)) : param(FusedOpParams.mean(b), pd.mean_desc());
        memory variance = training ? own(new memory(pd.variance_desc(), eng)) : param(FusedOpParams.var(b), pd.variance_desc());
        batchNorms.add(new BatchNorm(pd, md, eps, mean, variance, shape[1]));
        forwardStep(own(new batch_normalization_forward(pd)), DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_MEAN, mean,
                DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE_SHIFT, ss);
    }

    /** Backward step of batch normalization {@code b}: its gradient of {@code src} into {@code diffSrc}, gamma's and beta's into their views. */
    protected void bnBackward(int b, memory src, memory diffDst, memory diffSrc) {
        BatchNorm bn = batchNorms.get(b);
        var bpd = own(new batch_normalization_backward.primitive_desc(own(new batch_normalization_backward.desc(
                dnnl.prop_kind.backward, bn.md(), bn.md(), bn.eps(), dnnl.normalization_flags.use_scale_shift)), eng, bn.pd()));
        memory ss = param(FusedOpParams.gamma(b), bn.pd().weights_desc());
        memory dss = grad(FusedOpParams.gamma(b), bn.pd().weights_desc()); // dgamma, then dbeta right after it
        backwardStep(own(new batch_normalization_backward(bpd)), DNNL_ARG_SRC, src, DNNL_ARG_MEAN, bn.mean(),
                DNNL_ARG_VARIANCE, bn.variance(), DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE_SHIFT, ss,
                DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_DIFF_SCALE_SHIFT, dss);
    }

    /** The last forward step: {@code y} (channels-last, NCHW dimensions {@code shape}) reordered into the layer's NCHW output. */
    protected void writeOutput(memory y, long[] shape) {
        outShape = shape.clone();
        memory out = handle("out", md(shape, memory.format_tag.nchw), "out");
        forwardStep(own(new reorder(y, out)), DNNL_ARG_SRC, y, DNNL_ARG_DST, out);
    }

    /** The first backward step: the layer's NCHW output gradient reordered into a channels-last working buffer, returned. */
    protected memory readOutputGradient() {
        memory dyU = handle("dy", md(outShape, memory.format_tag.nchw), "dy");
        memory dy = buffer("dy.nhwc", outShape, Use.BACKWARD);
        backwardStep(own(new reorder(dyU, dy)), DNNL_ARG_SRC, dyU, DNNL_ARG_DST, dy);
        return dy;
    }

    /** {@code from} (channels-last) reordered into the layer's NCHW input gradient: the last backward step. */
    protected void writeInputGradient(memory from) {
        memory dx = handle("dx", md(inShape, memory.format_tag.nchw), "dx");
        backwardStep(own(new reorder(from, dx)), DNNL_ARG_SRC, from, DNNL_ARG_DST, dx);
    }

    /** A channels-last array of NCHW dimensions {@code shape}, taken from DL4J's workspaces when {@code use} says. */
    protected memory buffer(String name, long[] shape, Use use) {
        buffers.add(new Buffer(name, shape.clone(), use));
        return handle(name, md(shape, memory.format_tag.nhwc), name);
    }

    /** A region of buffer {@code name} ({@code dims} from {@code offsets}), as a memory object of its own. */
    protected memory region(String name, long[] dims, long[] offsets) {
        memory whole = handles.get(name);
        return handle(name + Arrays.toString(offsets) + Arrays.toString(dims),
                whole.get_desc().submemory_desc(dims, offsets), name);
    }

    /** The layer's parameter {@code key}, read as {@code desc}. */
    protected memory param(String key, memory.desc desc) {
        return handle("p:" + key, desc, "p:" + key);
    }

    /** Where the gradient of parameter {@code key} goes, written as {@code desc}. */
    protected memory grad(String key, memory.desc desc) {
        return handle("g:" + key, desc, "g:" + key);
    }

    protected void forwardStep(primitive p, Object... args) {
        forward.add(new Step(p, args(forwardUses, args)));
    }

    protected void backwardStep(primitive p, Object... args) {
        backward.add(new Step(p, args(backwardUses, args)));
    }

    /** A kernel as a primitive wants it: the parameter itself, or a copy reordered at the start of each pass. */
    protected memory kernel(String key, memory.desc user, memory.desc wanted, boolean forPass) {
        memory p = param(key, user);
        if (wanted.equals(user)) {
            return p;
        }
        memory m = own(new memory(wanted, eng));
        (forPass ? forward : backward).add(0, new Step(own(new reorder(p, m)),
                args(forPass ? forwardUses : backwardUses, DNNL_ARG_SRC, p, DNNL_ARG_DST, m)));
        return m;
    }

    /** Where a backward primitive writes a kernel's gradient: the gradient view itself, or a copy reordered into it after. */
    protected memory kernelGradient(String key, memory.desc user, memory.desc produced) {
        memory g = grad(key, user);
        return produced.equals(user) ? g : own(new memory(produced, eng));
    }

    /** After a backward step that wrote {@code produced}: its copy into the gradient view, where they differ. */
    protected void storeKernelGradient(String key, memory produced) {
        memory g = handles.get("g:" + key);
        if (produced != g) {
            backwardStep(own(new reorder(produced, g)), DNNL_ARG_SRC, produced, DNNL_ARG_DST, g);
        }
    }

    /** {@code dst += src}, as a backward step. */
    protected void addInto(memory src, memory dst) {
        post_ops ops = own(new post_ops());
        ops.append_sum(1f, memory.data_type.undef);
        primitive_attr attr = own(new primitive_attr());
        attr.set_post_ops(ops);
        backwardStep(own(new reorder(src, dst, attr)), DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
    }

    protected static memory.desc md(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    protected <T extends Pointer> T own(T p) {
        owned.add(p);
        return p;
    }

    private memory handle(String name, memory.desc desc, String source) {
        sources.putIfAbsent(name, source);
        return handles.computeIfAbsent(name, k -> {
            memory m = own(new memory(desc, eng, (Pointer) null));
            sourceOf.put(m, source);
            return m;
        });
    }

    /** A step's arguments; the arrays behind them are recorded in {@code uses}. */
    private IntMemoryMap args(Set<String> uses, Object... keyValues) {
        IntMemoryMap m = own(new IntMemoryMap());
        for (int i = 0; i < keyValues.length; i += 2) {
            memory arg = (memory) keyValues[i + 1];
            m.put((Integer) keyValues[i], arg);
            String source = sourceOf.get(arg);
            if (source != null) {
                uses.add(source);
            }
        }
        return m;
    }

    // ---- running ----

    /** The forward pass of {@code x} into {@code out}, on the arrays of the {@link Use#KEPT} and {@link Use#FORWARD} buffers. */
    void forward(INDArray x, INDArray out, Map<String, INDArray> arrays, Map<String, INDArray> params) {
        Map<String, INDArray> all = new LinkedHashMap<>(arrays);
        all.put("x", x);
        all.put("out", out);
        params.forEach((k, v) -> all.put("p:" + k, v));
        bind(all, forwardUses);
        run(forward);
    }

    /**
     * Backprop of {@code dy} into {@code dx} and the gradient views, on the input {@code x} and the
     * arrays of the {@link Use#KEPT} and {@link Use#BACKWARD} buffers.
     */
    void backward(INDArray x, INDArray dy, INDArray dx, Map<String, INDArray> arrays, Map<String, INDArray> params,
                  Map<String, INDArray> grads) {
        Map<String, INDArray> all = new LinkedHashMap<>(arrays);
        all.put("x", x);
        all.put("dy", dy);
        all.put("dx", dx);
        params.forEach((k, v) -> all.put("p:" + k, v));
        grads.forEach((k, v) -> all.put("g:" + k, v));
        bind(all, backwardUses);
        run(backward);
    }

    /** Points every memory object the pass's steps use at its array. */
    private void bind(Map<String, INDArray> arrays, Set<String> uses) {
        for (Map.Entry<String, memory> e : handles.entrySet()) {
            String source = sources.get(e.getKey());
            if (uses.contains(source)) {
                INDArray a = arrays.get(source);
                if (a == null) {
                    throw new IllegalStateException("no array for oneDNN argument " + source);
                }
                e.getValue().set_data_handle(a.data().addressPointer());
            }
        }
    }

    private void run(List<Step> steps) {
        for (Step step : steps) {
            step.p().execute(stream, step.args());
        }
        stream._wait();
    }

    /** How many batch normalizations the layer has. */
    int batchNormCount() {
        return batchNorms.size();
    }

    /** Batch norm {@code b}'s batch mean per channel in the last training pass. */
    float[] batchMean(int b) {
        return read(batchNorms.get(b).mean(), batchNorms.get(b).channels());
    }

    /** Batch norm {@code b}'s (biased) batch variance per channel in the last training pass. */
    float[] batchVariance(int b) {
        return read(batchNorms.get(b).variance(), batchNorms.get(b).channels());
    }

    private static float[] read(memory m, long channels) {
        float[] v = new float[(int) channels];
        new FloatPointer(m.get_data_handle()).get(v);
        return v;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
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
                if (Dl4jRuntime.isCpuBackend()) {
                    LoggerFactory.getLogger(OneDnnPlan.class).warn("JavaCPP's oneDNN does not load ({}): children are "
                            + "built of separate DL4J layers and train about half as fast", ex.toString());
                }
            }
            engine = e;
            failure = t;
        }

        boolean loaded() {
            return engine != null;
        }

        void require() {
            if (!Dl4jRuntime.isCpuBackend()) {
                throw new IllegalStateException("the oneDNN layers (ReluConvBn, FactorizedReduction) run on ND4J's CPU "
                        + "backend only; build the network where it trains (NetworkBuilder does so)");
            }
            if (engine == null) {
                throw new IllegalStateException("oneDNN (JavaCPP's dnnl preset) does not load on this machine: "
                        + failure, failure);
            }
        }
    }
}
