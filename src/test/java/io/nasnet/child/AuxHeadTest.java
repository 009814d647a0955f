package io.nasnet.child;

import io.nasnet.space.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AuxHeadTest {

    private static double crossEntropy(INDArray probs, INDArray labels) {
        return -Transforms.log(probs, true).muli(labels).sumNumber().doubleValue() / probs.size(0);
    }

    @Test
    void lossIsMainPlusWeightedAux() {
        Stacking s = Stacking.cifar(1, 4, 16, 16, 3, 3);
        NetworkOptions base = NetworkOptions.search(0.01, 0.0, 3);
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, base.withAuxHead(0.4));
        assertThat(net.getConfiguration().getNetworkOutputs())
                .containsExactly(NetworkBuilder.OUTPUT, NetworkBuilder.AUX_OUTPUT);
        INDArray x = Tiny.images(4, 3, 16, 9);
        INDArray y = Tiny.labels(4, 3);
        INDArray[] out = net.output(false, x);
        double main = crossEntropy(out[0], y);
        double aux = crossEntropy(out[1], y);
        double score = net.score(new MultiDataSet(new INDArray[]{x}, new INDArray[]{y, y}), false);
        assertThat(score).isCloseTo(main + 0.4 * aux, within(1e-4));
        assertThat(aux).isGreaterThan(0.1);
    }

    @Test
    void auxHeadIsLeftOutOfTheParameterCount() {
        Stacking s = Stacking.cifar(1, 4, 16, 16, 3, 3);
        NetworkOptions base = NetworkOptions.search(0.01, 0.0, 3);
        var in = org.deeplearning4j.nn.conf.inputs.InputType.convolutional(16, 16, 3);
        long without = Complexity.of(NetworkBuilder.configuration(Presets.NASNET_A, s, base), in).params();
        long with = Complexity.of(NetworkBuilder.configuration(Presets.NASNET_A, s, base.withAuxHead(0.4)), in).params();
        assertThat(with).isEqualTo(without);
    }
}
