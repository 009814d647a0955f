package io.nasnet.child.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of {@link OutOfPlaceRelu}: max(0, x) into a new array; the gradient from the kept input as
 * {@code step(x) * dy}, two vectorized passes that together take about half the time of ND4J's
 * {@code relu_bp}, which calls a function object per element.
 */
public class OutOfPlaceReluImpl extends ShapePreservingLayerImpl<OutOfPlaceRelu> {

    public OutOfPlaceReluImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        Nd4j.getExecutioner().exec(new RectifiedLinear(input, out, 0.0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray delta = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
        Nd4j.getExecutioner().exec(new Step(input, delta, 0.0));
        Nd4j.getExecutioner().exec(new MulOp(delta, epsilon, delta));
        return new Pair<>(new DefaultGradient(), delta);
    }
}
