package io.nasnet.train;

import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GlobalNormClippingTest {

    /** A network with its (summed) gradient of one batch of 8 computed. */
    static ComputationGraph withGradient() {
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, Stacking.cifar(1, 4, 8, 8, 1, 3),
                NetworkOptions.search(0.1, 0, 3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 8, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        return net;
    }

    /** The gradients the clipping works on, flattened into one vector. */
    private static INDArray trainable(ComputationGraph net) {
        return Nd4j.concat(0, GlobalNormClipping.trainable(net).stream().map(g -> g.reshape(g.length())).toArray(INDArray[]::new));
    }

    @Test
    void aGradientAboveTheThresholdIsScaledToItAsAWhole() {
        ComputationGraph net = withGradient();
        INDArray before = trainable(net).dup();
        INDArray all = net.getFlattenedGradients().dup();
        assertThat(before.length()).isLessThan(all.length()); // the running statistics are left out
        double meanNorm = before.norm2Number().doubleValue() / 8;
        assertThat(meanNorm).isPositive();
        new GlobalNormClipping(meanNorm / 4).onGradientCalculation(net);
        INDArray after = trainable(net);
        assertThat(after.norm2Number().doubleValue() / 8).isCloseTo(meanNorm / 4, within(meanNorm * 1e-5));
        // one factor for every parameter: the direction is kept
        INDArray ratio = after.div(before.add(1e-30));
        INDArray nonZero = before.neq(0).castTo(DataType.FLOAT);
        double expected = 0.25;
        assertThat(ratio.mul(nonZero).sumNumber().doubleValue() / nonZero.sumNumber().doubleValue())
                .isCloseTo(expected, within(1e-4));
        // and the running statistics' steps are the ones backprop computed
        double untouched = all.norm2Number().doubleValue() * all.norm2Number().doubleValue()
                - before.norm2Number().doubleValue() * before.norm2Number().doubleValue();
        double now = net.getFlattenedGradients().norm2Number().doubleValue() * net.getFlattenedGradients().norm2Number().doubleValue()
                - after.norm2Number().doubleValue() * after.norm2Number().doubleValue();
        assertThat(untouched).isPositive();
        assertThat(now).isCloseTo(untouched, within(untouched * 1e-3));
    }

    @Test
    void aGradientBelowTheThresholdIsLeftAlone() {
        ComputationGraph net = withGradient();
        INDArray before = net.getFlattenedGradients().dup();
        new GlobalNormClipping(before.norm2Number().doubleValue()).onGradientCalculation(net);
        assertThat(net.getFlattenedGradients()).isEqualTo(before);
    }
}
