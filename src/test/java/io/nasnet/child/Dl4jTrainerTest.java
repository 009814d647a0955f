package io.nasnet.child;

import io.nasnet.Slow;
import io.nasnet.child.runtime.NativeMemory;

import io.nasnet.data.ImageDataset;
import io.nasnet.data.ImageSet;
import io.nasnet.space.Presets;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Dl4jTrainerTest {

    /** A learnable toy task: the class is which quadrant holds a bright blob. */
    static ImageDataset quadrants(int n, long seed) {
        Random rng = new Random(seed);
        int side = 8;
        byte[] px = new byte[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int q = rng.nextInt(4);
            labels[i] = q;
            for (int k = 0; k < side * side; k++) {
                px[i * 64 + k] = (byte) rng.nextInt(60);
            }
            int r0 = (q / 2) * 4;
            int c0 = (q % 2) * 4;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    px[i * 64 + (r0 + r) * side + c0 + c] = (byte) 250;
                }
            }
        }
        ImageSet all = new ImageSet(px, labels, 1, side, side);
        return ImageDataset.split("quadrants", all, all.head(40), List.of("0", "1", "2", "3"), 40, seed);
    }

    private static final ChildSettings SMALL = new ChildSettings(1, 4, 2, 16, 0.05, 1e-4, 1, 0, false, 0);

    /** One epoch with crops and flips (so the seed matters twice), under {@code memoryLimit} bytes (0: none). */
    private static ChildSettings augmented(long memoryLimit) {
        return new ChildSettings(1, 4, 1, 16, 0.05, 1e-4, 1, 2, true, memoryLimit);
    }

    private static ChildSpec nasnetA(long seed) {
        return new ChildSpec("s", 0, 0, Presets.NASNET_A.text(), seed);
    }

    @Test
    @Slow
    void trainingInPiecesThroughSavedStatesEndsBitForBitAsInOneGo() {
        ChildSettings settings = new ChildSettings(1, 4, 2, 16, 0.05, 1e-4, 1, 2, true, 0);
        ImageDataset data = quadrants(360, 1);
        long total = settings.steps(data.train().size());
        assertThat(total).isEqualTo(2 * (data.train().size() / 16));
        ChildSpec spec = nasnetA(5);
        ChildResult whole = new Dl4jTrainer(settings).train(spec, data);

        // three rungs: mid first epoch, mid second, the end; each from the bytes the one before saved
        ChildTrainer.Progress first = new Dl4jTrainer(settings).trainUntil(spec, data, null, 7);
        assertThat(first.state()).isNotNull();
        assertThat(first.result().validationAccuracy()).as("no epoch finished yet").isEmpty();
        assertThat(first.result().reward()).isBetween(0.0, 1.0).isEqualTo(first.result().accuracy());
        ChildTrainer.Progress second = new Dl4jTrainer(settings).trainUntil(spec, data, first.state(), total / 2 + 3);
        assertThat(second.result().validationAccuracy()).hasSize(1)
                .containsExactly(whole.validationAccuracy().get(0));
        ChildTrainer.Progress last = new Dl4jTrainer(settings).trainUntil(spec, data, second.state(), Long.MAX_VALUE);
        assertThat(last.state()).as("nothing to go on from at the end").isNull();
        ChildResult r = last.result();
        assertThat(r.reward()).isEqualTo(whole.reward());
        assertThat(r.validationAccuracy()).isEqualTo(whole.validationAccuracy());
        assertThat(Double.doubleToLongBits(r.trainLoss())).isEqualTo(Double.doubleToLongBits(whole.trainLoss()));
        assertThat(r.params()).isEqualTo(whole.params());
        assertThat(r.epochs()).isEqualTo(2);
    }

    @Test
    @Slow
    void rungsOffReproducesTheRewardsOfTheReleaseBeforeRungs() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("golden");
        ImageDataset data = io.nasnet.data.Datasets.load(new io.nasnet.data.DataSpec(
                io.nasnet.search.TestTrainers.tinyData(dir).toString(), io.nasnet.data.DataSpec.Format.AUTO, 40, 0, 1));
        ChildSettings settings = new ChildSettings(1, 4, 2, 16, 0.1, 0.0003, 1, 2, true, 0);
        List<String> golden = new String(getClass().getResourceAsStream("/golden/child-rewards-0.2.txt").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(golden).hasSize(3);
        for (String line : golden) {
            // the genotype's own text holds a '|': the five fields after it are counted from the end
            String[] parts = line.split("\\|");
            String[] f = java.util.Arrays.copyOfRange(parts, parts.length - 6, parts.length);
            f[0] = String.join("|", java.util.Arrays.copyOfRange(parts, 0, parts.length - 5));
            ChildResult r = new Dl4jTrainer(settings).train(new ChildSpec("golden", 0, 0, f[0], Long.parseLong(f[1])), data);
            assertThat(r.reward()).as(line).isEqualTo(Double.parseDouble(f[2]));
            assertThat(r.validationAccuracy().toString()).as(line).isEqualTo(f[3]);
            assertThat(Double.doubleToLongBits(r.trainLoss())).as(line).isEqualTo(Long.parseLong(f[4]));
        }
    }

    @Test
    @Slow
    void learnsAndReportsEverything() {
        ChildResult r = new Dl4jTrainer(SMALL).train(new ChildSpec("s", 3, 7, Presets.NASNET_A.text(), 11),
                quadrants(360, 1));
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.validationAccuracy()).hasSize(2);
        assertThat(r.reward()).isEqualTo(r.validationAccuracy().get(1)).isGreaterThan(0.5);
        assertThat(r.params()).isPositive();
        assertThat(r.multAdds()).isGreaterThan(r.params());
        assertThat(r.imagesPerSecond()).isPositive();
        assertThat(r.peakRssBytes()).isGreaterThan(100_000_000L);
        assertThat(r.trainLoss()).isFinite().isPositive();
        assertThat(r.spec().round()).isEqualTo(3);
        assertThat(r.host()).isNotBlank();
    }

    @Slow
    @Test
    void sameSeedSameResult() {
        ImageDataset d = quadrants(200, 2);
        ChildSettings s = augmented(0);
        ChildResult a = new Dl4jTrainer(s).train(nasnetA(5), d);
        ChildResult b = new Dl4jTrainer(s).train(nasnetA(5), d);
        assertThat(a.status()).isEqualTo(Status.OK);
        assertThat(b.validationAccuracy()).isEqualTo(a.validationAccuracy());
        assertThat(b.trainLoss()).isEqualTo(a.trainLoss());
        ChildResult other = new Dl4jTrainer(s).train(nasnetA(6), d);
        assertThat(other.trainLoss()).isNotEqualTo(a.trainLoss());
    }

    @Test
    @Slow
    void aMemoryLimitChangesNothingButMemory() {
        ImageDataset d = quadrants(80, 2);
        ChildResult free = new Dl4jTrainer(augmented(0)).train(nasnetA(5), d);
        long before = NativeMemory.limit();
        // one byte: over the limit at every check, so freed memory is returned after every convolution
        ChildResult limited = new Dl4jTrainer(augmented(1)).train(nasnetA(5), d);
        assertThat(limited.status()).isEqualTo(Status.OK);
        assertThat(limited.validationAccuracy()).isEqualTo(free.validationAccuracy());
        assertThat(limited.trainLoss()).isEqualTo(free.trainLoss());
        assertThat(NativeMemory.limit()).as("the child's share is given back").isEqualTo(before);
    }

    @Test
    void aSizeAwareRewardWeighsTheAccuracyByTheChildsOrTheFinalNetworksSize() {
        ImageDataset d = quadrants(80, 2);
        ChildResult plain = new Dl4jTrainer(augmented(0)).train(nasnetA(5), d);
        assertThat(plain.accuracy()).isEqualTo(plain.reward());
        assertThat(plain.rewardSize()).isZero();
        // the target half the child's parameters: the reward is the same accuracy x 2^-0.07
        ChildSettings a = augmented(0);
        SizeReward half = new SizeReward(plain.params() / 2, SizeReward.Measure.PARAMS, 0, 0, -0.07);
        ChildResult weighed = new Dl4jTrainer(withSize(a, half)).train(nasnetA(5), d);
        assertThat(weighed.accuracy()).isEqualTo(plain.accuracy());
        assertThat(weighed.rewardSize()).isEqualTo(plain.params());
        assertThat(weighed.reward()).isCloseTo(plain.accuracy() * Math.pow((double) plain.params() / (plain.params() / 2),
                -0.07), org.assertj.core.api.Assertions.within(1e-12));
        // the final network of the same cells, N = 2 and F = 16: far more mult-adds than the child
        SizeReward last = new SizeReward(plain.multAdds(), SizeReward.Measure.MULT_ADDS, 2, 16, -0.07);
        ChildResult ofFinal = new Dl4jTrainer(withSize(a, last)).train(nasnetA(5), d);
        long finalMultAdds = Complexity.of(NetworkBuilder.configuration(Presets.NASNET_A,
                Stacking.cifar(2, 16, 8, 8, 1, 4), NetworkOptions.search(0.05, 1e-4, 0)),
                org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 1)).multAdds();
        assertThat(ofFinal.rewardSize()).isEqualTo(finalMultAdds).isGreaterThan(10 * plain.multAdds());
        assertThat(ofFinal.reward()).isLessThan(ofFinal.accuracy());
        assertThat(withSize(a, last).budgetKey()).isEqualTo(a.budgetKey() + ",size=mult-adds@n2f16/"
                + plain.multAdds() + "^-0.07");
    }

    static ChildSettings withSize(ChildSettings s, SizeReward size) {
        return new ChildSettings(s.n(), s.f(), s.epochs(), s.batchSize(), s.learningRate(), s.weightDecay(),
                s.rewardLastK(), s.padCrop(), s.flip(), s.memoryLimit(), size, s.evaluations(), s.meanLastK(), s.reward(),
                s.zeroCost());
    }

    @Test
    void sizeRewardSettingsThatCannotWorkAreRefusedByKey() {
        assertThat(SizeReward.OFF.factor(123)).isEqualTo(1.0);
        assertThat(new SizeReward(1000, SizeReward.Measure.PARAMS, 0, 0, -0.07).factor(1000)).isEqualTo(1.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SizeReward(-1, SizeReward.Measure.PARAMS, 0, 0, -0.07))
                .hasMessageContaining("child.size-target");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SizeReward(10, SizeReward.Measure.PARAMS, 2, 0, -0.07))
                .hasMessageContaining("child.size-final-f");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SizeReward(10, SizeReward.Measure.PARAMS, 0, 0, 0.1))
                .hasMessageContaining("child.size-weight");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SizeReward.Measure.parse("flops"))
                .hasMessageContaining("child.size-measure: 'flops' is not one of params, mult-adds");
    }

    @Test
    void rewardCanBeTheBestOfTheLastEpochs() {
        ChildSettings s = new ChildSettings(1, 4, 3, 16, 0.05, 1e-4, 2, 0, false, 0);
        ChildResult r = new Dl4jTrainer(s).train(nasnetA(1), quadrants(200, 3));
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.validationAccuracy()).hasSize(3);
        // the best of epochs 2 and 3, whatever epoch 1 scored
        assertThat(r.reward()).isEqualTo(Math.max(r.validationAccuracy().get(1), r.validationAccuracy().get(2)));
    }

    @Test
    void nanLossStopsTheChildAsDiverged() {
        ChildSettings s = new ChildSettings(1, 4, 2, 16, 1e30, 0, 1, 0, false, 0);
        ChildResult r = new Dl4jTrainer(s).train(new ChildSpec("s", 0, 1, Presets.NASNET_A.text(), 1), quadrants(200, 4));
        assertThat(r.status()).isEqualTo(Status.DIVERGED);
        assertThat(r.reward()).isZero();
        assertThat(r.error()).contains("loss became");
        assertThat(r.validationAccuracy()).isEmpty();
    }

    @Test
    void aBrokenChildIsReportedNotThrown() {
        ChildResult bad = new Dl4jTrainer(SMALL).train(new ChildSpec("s", 0, 2, "normal (0 sep9x9, 1 identity) | reduction (0 max3x3, 1 max3x3)", 1),
                quadrants(100, 5));
        assertThat(bad.status()).isEqualTo(Status.FAILED);
        assertThat(bad.error()).contains("sep9x9");
        ChildSettings huge = new ChildSettings(1, 4, 1, 5000, 0.05, 0, 1, 0, false, 0);
        ChildResult tooBig = new Dl4jTrainer(huge).train(new ChildSpec("s", 0, 3, Presets.NASNET_A.text(), 1), quadrants(100, 5));
        assertThat(tooBig.status()).isEqualTo(Status.FAILED);
        assertThat(tooBig.error()).contains("batch size 5000");
    }
}
