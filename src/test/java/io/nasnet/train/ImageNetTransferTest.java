package io.nasnet.train;

import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cells carried to ImageNet sizes: the stacking builds and runs a forward pass at 224 and 331. */
class ImageNetTransferTest {

    static INDArray forward(Genotype g, Stacking s) {
        ComputationGraph net = NetworkBuilder.network(g, s, NetworkOptions.search(0.1, 4e-5, 1).withAuxHead(0.4));
        try {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, s.height(), s.width());
            INDArray[] out = net.output(false, x);
            assertThat(out).hasSize(2);
            return out[0];
        } finally {
            net.clear();
        }
    }

    @Test
    void nasnetAMobileRunsAt224() {
        INDArray p = forward(Presets.NASNET_A, Stacking.imagenetMobile(1000));
        assertThat(p.shape()).containsExactly(1, 1000);
        assertThat(p.sumNumber().doubleValue()).isCloseTo(1.0, within(1e-4));
        assertThat(p.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void aSearchedGenotypeRunsAt331WithTheLargeModelsWiring() {
        Genotype searched = new Encoding(5).random(new Random(11));
        Stacking s = new Stacking(Stacking.Style.IMAGENET, 1, 12, 331, 331, 3, 1000, 1.0, true);
        INDArray p = forward(searched, s);
        assertThat(p.shape()).containsExactly(1, 1000);
        assertThat(p.sumNumber().doubleValue()).isCloseTo(1.0, within(1e-4));
    }
}
