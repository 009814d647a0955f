package io.nasnet.child.onednn;

import io.nasnet.child.layers.Layers;
import io.nasnet.child.runtime.NativeMemory;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The computation of a {@link FusedOpConf} layer, DL4J's side of it: the configuration makes the
 * {@link OneDnnPlan} for each input shape; NCHW activations in and out, the plan's
 * arrays from DL4J's workspaces (what backprop needs in the activation workspace, the rest in
 * working memory), gradients into DL4J's views, and batch normalization's running statistics
 * updated as DL4J's {@code BatchNormalization} does: by a "gradient" of
 * {@code (1 - decay) * (running - batch)} that no updater touches.
 */
public class FusedOpLayer extends BaseLayer<FusedOpConf> {

    /** Plans by input shape and mode; a few shapes occur (the batch, the last smaller batch, evaluation). */
    private final Map<String, OneDnnPlan> plans = new LinkedHashMap<>();
    private OneDnnPlan trained;
    private Map<String, INDArray> kept;

    public FusedOpLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = floats(input, "input");
        OneDnnPlan plan = plan(x.shape(), training);
        Map<String, INDArray> arrays = new HashMap<>();
        Map<String, INDArray> keep = new HashMap<>();
        for (OneDnnPlan.Buffer b : plan.buffers()) {
            if (b.use() == OneDnnPlan.Use.BACKWARD) {
                continue;
            }
            boolean kept = b.use() == OneDnnPlan.Use.KEPT && training;
            INDArray a = mgr.createUninitialized(kept ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM,
                    DataType.FLOAT, b.shape(), 'c');
            arrays.put(b.name(), a);
            if (kept) {
                keep.put(b.name(), a);
            }
        }
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, plan.outShape(), 'c');
        plan.forward(x, out, arrays, paramTable());
        if (training) {
            trained = plan;
            kept = keep;
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
        OneDnnPlan plan = trained;
        INDArray dy = floats(epsilon, "gradient");
        Map<String, INDArray> arrays = new HashMap<>(kept);
        for (OneDnnPlan.Buffer b : plan.buffers()) {
            if (b.use() == OneDnnPlan.Use.BACKWARD) {
                arrays.put(b.name(), mgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, b.shape(), 'c'));
            }
        }
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, plan.inShape, 'c');
        // the input again (a dense copy made in the forward pass may have lived in its working memory)
        plan.backward(floats(input, "input"), dy, dx, arrays, paramTable(), gradientViews);
        double decay = layerConf().getDecay();
        for (int b = 0; b < plan.batchNormCount(); b++) {
            runningStatGradient(FusedOpParams.mean(b), plan.batchMean(b), decay);
            runningStatGradient(FusedOpParams.var(b), plan.batchVariance(b), decay);
        }
        Gradient g = new DefaultGradient();
        for (String key : layerConf().initializer().paramKeys(layerConf())) {
            g.setGradientFor(key, gradientViews.get(key));
        }
        trained = null;
        kept = null;
        NativeMemory.release();
        return new Pair<>(g, dx);
    }

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
        return !FusedOpParams.isRunningStat(paramName);
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

    private OneDnnPlan plan(long[] shape, boolean training) {
        String key = Arrays.toString(shape) + training;
        OneDnnPlan p = plans.get(key);
        if (p == null) {
            if (plans.size() >= 4) {
                plans.remove(plans.keySet().iterator().next()).close();
            }
            p = layerConf().newPlan(shape, training);
            plans.put(key, p);
        }
        return p;
    }
}
