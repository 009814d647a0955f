package io.nasnet.child;

import io.nasnet.Slow;
import io.nasnet.data.Batches;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.search.TestTrainers;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every reward definition measured by one training: golden children, cross-checks, settings refused by key. */
class RewardDefinitionsTest {

    /** The golden children's settings with four evaluations (two per epoch), the mean of the last two. */
    static ChildSettings measured(ChildSettings s, RewardDefinition reward, boolean zeroCost) {
        return new ChildSettings(s.n(), s.f(), s.epochs(), s.batchSize(), s.learningRate(), s.weightDecay(),
                s.rewardLastK(), s.padCrop(), s.flip(), s.memoryLimit(), s.size(), 4, 2, reward, zeroCost);
    }

    static ImageDataset tiny() throws Exception {
        return Datasets.load(new DataSpec(TestTrainers.tinyData(Files.createTempDirectory("golden")).toString(),
                DataSpec.Format.AUTO, 40, 0, 1));
    }

    @Test
    @Slow
    void goldenChildrenMeasureEveryDefinitionAndExtraEvaluationsChangeNothingElse() throws Exception {
        ImageDataset data = tiny();
        ChildSettings plain = new ChildSettings(1, 4, 2, 16, 0.1, 0.0003, 1, 2, true, 0);
        List<String> golden = new String(getClass().getResourceAsStream("/golden/child-measures-0.3.txt").readAllBytes(),
                StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(golden).hasSize(3);
        for (String line : golden) {
            String[] parts = line.split("\\|");
            String genotype = String.join("|", Arrays.copyOfRange(parts, 0, parts.length - 4));
            String[] f = Arrays.copyOfRange(parts, parts.length - 4, parts.length);
            ChildSpec spec = new ChildSpec("golden", 0, 0, genotype, Long.parseLong(f[0]));
            ChildResult before = new Dl4jTrainer(plain).train(spec, data);
            ChildResult r = new Dl4jTrainer(measured(plain, RewardDefinition.ACCURACY, true)).train(spec, data);
            assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
            // evaluating four times and scoring the untrained network leave the training as it was
            assertThat(r.accuracy()).as(line).isEqualTo(before.accuracy());
            assertThat(r.reward()).isEqualTo(before.reward());
            assertThat(Double.doubleToLongBits(r.trainLoss())).isEqualTo(Double.doubleToLongBits(before.trainLoss()));
            // evaluations 2 and 4 are the ends of the epochs
            assertThat(r.validationAccuracy()).hasSize(4);
            assertThat(List.of(r.validationAccuracy().get(1), r.validationAccuracy().get(3)))
                    .isEqualTo(before.validationAccuracy());
            ChildMeasures m = r.measures();
            assertThat(m.accuracyMean()).isEqualTo((r.validationAccuracy().get(2) + r.validationAccuracy().get(3)) / 2);
            assertThat(m.accuracyMean()).as(line).isEqualTo(Double.parseDouble(f[1]));
            assertThat(Double.doubleToLongBits(m.validationLoss())).as(line).isEqualTo(Long.parseLong(f[2]));
            assertThat(Double.doubleToLongBits(m.trainLossArea())).as(line).isEqualTo(Long.parseLong(f[3]));
            assertThat(m.zeroCost().naswot()).isFinite();
            assertThat(m.zeroCost().seconds()).isPositive();

            // the same child with another reward definition: the reward is that measurement, nothing else moves
            for (RewardDefinition d : List.of(RewardDefinition.VALIDATION_LOSS, RewardDefinition.TRAIN_LOSS_AREA,
                    RewardDefinition.ACCURACY_MEAN)) {
                ChildResult o = new Dl4jTrainer(measured(plain, d, false)).train(spec, data);
                assertThat(o.accuracy()).isEqualTo(r.accuracy());
                assertThat(o.reward()).as(d.key()).isEqualTo(d.of(o.accuracy(), o.measures())).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    @Slow
    void oneEpochsLossAreaIsItsTrainingLossAndTheValidationLossIsTheMeanCrossEntropy() throws Exception {
        ImageDataset data = Dl4jTrainerTest.quadrants(200, 2);
        ChildSettings one = new ChildSettings(1, 4, 1, 16, 0.05, 1e-4, 1, 2, true, 0);
        ChildResult r = new Dl4jTrainer(one).train(new ChildSpec("s", 0, 0, Presets.NASNET_A.text(), 5), data);
        assertThat(r.measures().trainLossArea()).isEqualTo(r.trainLoss());
        assertThat(r.measures().accuracyMean()).isEqualTo(r.accuracy());
        assertThat(Math.exp(-r.measures().validationLoss())).isBetween(0.0, 1.0);

        // the validation loss by hand: -mean log p(true class) of the network's outputs
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, Stacking.cifar(1, 4, 8, 8, 1, 4),
                NetworkOptions.search(0.05, 1e-4, 3));
        Batches batches = new Batches(data, 0, false);
        int[] all = java.util.stream.IntStream.range(0, data.validation().size()).toArray();
        Batches.Batch b = batches.batch(data.validation(), all, 0, all.length, null);
        INDArray out = net.output(false, b.features())[0];
        double[] p = out.mul(b.labels()).sum(1).toDoubleVector();
        double loss = -Arrays.stream(p).map(x -> Math.log(Math.max(x, 1e-12))).average().orElseThrow();
        Dl4jTrainer.Evaluation e = Dl4jTrainer.evaluate(net, batches, data.validation());
        assertThat(e.loss()).isCloseTo(loss, within(1e-6));
        assertThat(e.accuracy()).isEqualTo(Dl4jTrainer.accuracy(net, batches, data.validation()));
        net.clear();
    }

    @Test
    void evaluationsFallEvenlyAndTheLastAtTheEnd() {
        ChildSettings s = new ChildSettings(1, 4, 1, 16, 0.1, 0, 1, 0, false, 0, SizeReward.OFF, 3, 0,
                RewardDefinition.ACCURACY, false);
        List<Long> at = java.util.stream.LongStream.rangeClosed(1, 10).filter(d -> s.evaluatesAfter(d, 10, 10)).boxed().toList();
        assertThat(at).containsExactly(4L, 7L, 10L);
        ChildSettings perEpoch = new ChildSettings(1, 4, 3, 16, 0.1, 0, 1, 0, false, 0);
        assertThat(java.util.stream.LongStream.rangeClosed(1, 12).filter(d -> perEpoch.evaluatesAfter(d, 12, 4)).boxed()
                .toList()).containsExactly(4L, 8L, 12L);
        assertThat(perEpoch.evaluationCount()).isEqualTo(3);
    }

    @Test
    void theBudgetNamesAnyDefinitionButTheAccuracyAndSettingsThatCannotWorkAreRefusedByKey() {
        ChildSettings plain = new ChildSettings(1, 4, 2, 16, 0.1, 0.0003, 1, 2, true, 0);
        assertThat(measured(plain, RewardDefinition.ACCURACY, true).budgetKey()).isEqualTo(plain.budgetKey() + ",evals=4");
        assertThat(measured(plain, RewardDefinition.ACCURACY_MEAN, false).budgetKey())
                .endsWith(",evals=4,reward=accuracy-mean,meank=2");
        assertThatThrownBy(() -> new ChildSettings(1, 4, 1, 16, 0.1, 0, 3, 0, false, 0, SizeReward.OFF, 2, 0,
                RewardDefinition.ACCURACY, false)).hasMessageContaining("child.reward-last-k = 3")
                .hasMessageContaining("2 evaluation(s)");
        assertThatThrownBy(() -> new ChildSettings(1, 4, 1, 16, 0.1, 0, 1, 0, false, 0, SizeReward.OFF, 2, 3,
                RewardDefinition.ACCURACY, false)).hasMessageContaining("child.mean-last-k = 3");
        assertThatThrownBy(() -> RewardDefinition.parse("val-loss")).hasMessageContaining("search.reward")
                .hasMessageContaining("'val-loss'").hasMessageContaining(RewardDefinition.known());
        assertThat(RewardDefinition.known()).isEqualTo("accuracy, accuracy-mean, validation-loss, train-loss-area");
        ChildMeasures m = new ChildMeasures(0.5, Math.log(4), 2, ZeroCost.NONE);
        assertThat(RewardDefinition.VALIDATION_LOSS.of(0.9, m)).isCloseTo(0.25, within(1e-12));
        assertThat(RewardDefinition.TRAIN_LOSS_AREA.of(0.9, m)).isEqualTo(Math.exp(-2));
        assertThat(RewardDefinition.ACCURACY_MEAN.of(0.9, m)).isEqualTo(0.5);
        assertThat(RewardDefinition.ACCURACY.of(0.9, ChildMeasures.NONE)).isEqualTo(0.9);
        assertThat(RewardDefinition.VALIDATION_LOSS.of(0.9, ChildMeasures.NONE)).isNaN();
    }
}
