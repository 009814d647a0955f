package io.nasnet.child;

import io.nasnet.Slow;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Presets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one slow test: a real NASNet-A child on the shipped Fashion-MNIST subset, as a search trains it. */
@Slow
class FashionMnistTrainingTest {

    @Test
    void nasnetAChildReachesOver80PercentValidationAccuracyInTwoEpochs() {
        ImageDataset d = Datasets.load(new DataSpec("data/fashion-mnist-small", DataSpec.Format.AUTO, 0.1, 4000, 1));
        ChildSettings s = new ChildSettings(1, 8, 2, 32, 0.1, 3e-4, 1, 2, false, 0);
        ChildResult r = new Dl4jTrainer(s).train(new ChildSpec("fashion", 0, 0, Presets.NASNET_A.text(), 1), d);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.validationAccuracy()).hasSize(2);
        assertThat(r.reward()).isGreaterThan(0.80);
        assertThat(r.validationAccuracy().get(1)).isGreaterThan(r.validationAccuracy().get(0) - 0.02);
    }
}
