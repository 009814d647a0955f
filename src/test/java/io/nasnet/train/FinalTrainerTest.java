package io.nasnet.train;

import io.nasnet.Slow;
import io.nasnet.child.Stacking;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.search.TestTrainers;
import io.nasnet.space.Presets;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Final training on 16x16 images (big enough for the auxiliary head), N = 1, F = 4. The data-parallel
 * path (dl4j-spark) is tested on a real cluster, in YarnClusterIT.
 */
@Slow
class FinalTrainerTest {

    @TempDir
    static Path dir;
    static DataSpec spec;
    static ImageDataset data;
    static final Configuration HADOOP = new Configuration();

    @BeforeAll
    static void data() throws Exception {
        Path d = TestTrainers.tinyData(dir.resolve("data"), 512, 128, 16);
        spec = new DataSpec(d.toString(), DataSpec.Format.IDX, 64, 0, 1);
        data = Datasets.load(spec);
    }

    /** The paper's recipe with every regularizer on. */
    static FinalSettings settings(int epochs) {
        return new FinalSettings(Stacking.Style.CIFAR, 1, 4, epochs, 32, 0.05, 5e-4, 5, 0.1, 0.8, 0.4, 2, false, 8,
                2, 2);
    }

    static FinalTrainer trainer(FinalSettings s, String run) {
        return new FinalTrainer(s, new TrainCheckpoints(dir.resolve(run).toString(), HADOOP), HADOOP);
    }

    @Test
    void aTinyScaledModelTrainsItsLossFallsAndEvaluateReproducesItsTestAccuracy() throws Exception {
        FinalSettings s = settings(3);
        String model = dir.resolve("plain/model.zip").toString();
        Provenance provenance = Provenance.of("s1, s2", s, "checksum-1");
        FinalResult r = trainer(s, "plain").train(Presets.NASNET_A, data, FinalTrainer.local(s), model, provenance);
        assertThat(r.epochs()).hasSize(3);
        assertThat(r.epochs().get(2).trainLoss()).isLessThan(r.epochs().get(0).trainLoss());
        assertThat(r.testAccuracy()).isGreaterThan(0.6);
        assertThat(r.resumedAt()).isZero();
        assertThat(Files.exists(Path.of(model))).isTrue();
        assertThat(FinalTrainer.evaluate(model, data, HADOOP)).isEqualTo(r.testAccuracy());
        // the card says where the model came from
        ModelCard card = SavedModel.card(new org.apache.hadoop.fs.Path(model), HADOOP).orElseThrow();
        assertThat(card.provenance()).isEqualTo(provenance);
        assertThat(provenance.seed()).isEqualTo(s.seed());
        assertThat(provenance.recipe()).contains("epochs=3").contains("learningRate=" + s.learningRate());
        assertThat(card.describe()).contains("search:       s1, s2").contains("data:         checksum checksum-1")
                .contains("trained by:   nasnet-spark " + provenance.version() + ", commit " + provenance.commit());
        // the two newest checkpoints are kept
        assertThat(dir.resolve("plain/epoch-0001.zip")).doesNotExist();
        assertThat(dir.resolve("plain/epoch-0003.zip")).exists();
    }

    /** A fitter that dies after some epochs, as a killed driver would. */
    static FinalTrainer.EpochFitter crashingAfter(FinalSettings s, int epochs) {
        FinalTrainer.EpochFitter real = FinalTrainer.local(s);
        return (net, batches, epoch) -> {
            if (epoch >= epochs) {
                throw new IllegalStateException("killed");
            }
            return real.fit(net, batches, epoch);
        };
    }

    @Test
    void aResumedRunContinuesAtTheRightEpochWithTheSameOptimizerState() throws Exception {
        FinalSettings s = settings(2);
        FinalResult straight = trainer(s, "straight").train(Presets.NASNET_A, data, FinalTrainer.local(s),
                dir.resolve("straight/model.zip").toString(), null);

        String model = dir.resolve("resumed/model.zip").toString();
        assertThatThrownBy(() -> trainer(s, "resumed").train(Presets.NASNET_A, data, crashingAfter(s, 1), model, null))
                .hasMessage("killed");
        TrainCheckpoints.Restored saved = new TrainCheckpoints(dir.resolve("resumed").toString(), HADOOP).latest()
                .orElseThrow();
        ComputationGraph afterOne = saved.net();
        int perEpoch = data.train().size() / 32;
        assertThat(afterOne.getConfiguration().getIterationCount()).isEqualTo(perEpoch);
        assertThat(afterOne.getConfiguration().getEpochCount()).isEqualTo(1);
        assertThat(afterOne.getUpdater().getStateViewArray().norm2Number().doubleValue()).isPositive();
        assertThat(saved.meta().epochs()).hasSize(1);

        FinalResult resumed = trainer(s, "resumed").train(Presets.NASNET_A, data, FinalTrainer.local(s), model, null);
        assertThat(resumed.resumedAt()).isEqualTo(1);
        assertThat(resumed.epochs()).hasSize(2);
        assertThat(resumed.epochs().get(0)).isEqualTo(saved.meta().epochs().get(0));
        // momentum, learning-rate schedule, drop-path schedule and data order all picked up where they were
        INDArray a = TrainCheckpoints.load(new org.apache.hadoop.fs.Path(straight.modelPath()), HADOOP).params();
        INDArray b = TrainCheckpoints.load(new org.apache.hadoop.fs.Path(model), HADOOP).params();
        assertThat(a.sub(b).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(resumed.testAccuracy()).isCloseTo(straight.testAccuracy(), within(1e-9));

        // a different run in the same folder is refused, and its checkpoints are left alone
        FinalSettings other = settings(4);
        assertThatThrownBy(() -> trainer(other, "resumed").train(Presets.NASNET_A, data, FinalTrainer.local(other),
                model, null)).hasMessageContaining("are of another run").hasMessageContaining("--run-id");
        assertThat(dir.resolve("resumed/epoch-0002.zip")).exists();
    }
}
