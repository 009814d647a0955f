package io.nasnet.child;

import io.nasnet.Slow;
import io.nasnet.search.SearchConfig;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe executors are sized from: its cell is the space's largest, and what it measures is a
 * child's real footprint, more for a larger child.
 */
class MemoryProbeTest {

    static final Stacking SMALL = Stacking.cifar(1, 4, 16, 16, 1, 10);

    /** Float values a training step keeps for one image: every layer's activation, as separate layers. */
    static long activations(Genotype g) {
        return NetworkBuilder.configuration(g, SMALL, NetworkOptions.search(0.05, 5e-4, 1), false)
                .getLayerActivationTypes(InputType.convolutional(16, 16, 1)).values().stream()
                .mapToLong(InputType::arrayElementsPerExample).sum();
    }

    @Test
    void theProbesCellHoldsMoreActivationsThanNasnetAAndThanAnyOf200RandomCells() {
        Genotype largest = MemoryProbe.largestCell(5);
        assertThat(largest.normal().blocks()).hasSize(5);
        long probe = activations(largest);
        assertThat(probe).isGreaterThan(activations(Presets.NASNET_A));
        Encoding space = new Encoding(5);
        Random rng = new Random(7);
        for (int i = 0; i < 200; i++) {
            Genotype g = space.random(rng);
            assertThat(activations(g)).as(g.text()).isLessThanOrEqualTo(probe);
        }
    }

    @Test
    @Slow
    void theProbeMeasuresAChildsGrowthAndALargerChildMeasuresMore() {
        SearchConfig c = SearchConfig.load(new File("conf/local.conf"),
                List.of("data.path=\"data/fashion-mnist-small\"", "data.train-limit=256"));
        ImageDataset data = Datasets.load(c.data());
        MemoryProbe.Measurement small = MemoryProbe.measure(c.child(), Presets.NASNET_A, data);
        ChildSettings wider = SearchConfig.load(new File("conf/local.conf"), List.of("child.f=32")).child();
        MemoryProbe.Measurement large = MemoryProbe.measure(wider, Presets.NASNET_A, data);
        // a training step keeps at least every layer's output for the batch: a floor the measurement must clear
        long floor = 4L * c.child().batchSize() * NetworkBuilder.configuration(Presets.NASNET_A,
                        Stacking.cifar(1, c.child().f(), 28, 28, 1, 10), NetworkOptions.search(0.05, 5e-4, 1))
                .getLayerActivationTypes(InputType.convolutional(28, 28, 1)).values().stream()
                .mapToLong(InputType::arrayElementsPerExample).sum();
        assertThat(small.childBytes()).isGreaterThan(floor);
        assertThat(large.childBytes()).isGreaterThan(2 * small.childBytes());
        assertThat(small.baseBytes()).isPositive();
        assertThat(small.allocator()).isIn("jemalloc", "glibc");
        assertThat(small.genotype()).isEqualTo(Presets.NASNET_A.text());
    }
}
