package io.nasnet.child.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * The computation of {@link DropPath}: a per-example mask, drawn from a generator seeded by the
 * network seed, the layer and the iteration (so runs repeat exactly and concurrent networks never
 * share state), applied in the forward pass and again to the gradient.
 */
public class DropPathImpl extends ShapePreservingLayerImpl<DropPath> {

    private INDArray mask;

    public DropPathImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        double keep = layerConf().keepProb(getIterationCount());
        if (!training || keep >= 1.0) {
            mask = null;
            return mgr.leverageTo(ArrayType.ACTIVATIONS, input);
        }
        int batch = (int) input.size(0);
        float[] m = new float[batch];
        SplittableRandom rng = new SplittableRandom(conf.getSeed() * 1_000_003L + getIndex() * 7919L + getIterationCount());
        for (int i = 0; i < batch; i++) {
            m[i] = rng.nextDouble() < keep ? (float) (1.0 / keep) : 0f;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            mask = Nd4j.createFromArray(m).castTo(input.dataType());
        }
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(input, mask, out, 0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        INDArray delta;
        if (mask == null) {
            delta = mgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon);
        } else {
            delta = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
            Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, mask, delta, 0));
        }
        return new Pair<>(new DefaultGradient(), delta);
    }

    /** The mask of the last training forward pass (1/keep or 0 per example), or null if nothing was dropped. */
    INDArray lastMask() {
        return mask;
    }
}
