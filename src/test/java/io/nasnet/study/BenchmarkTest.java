package io.nasnet.study;

import io.nasnet.Slow;
import io.nasnet.TestSpark;
import io.nasnet.history.HistoryRecord;
import io.nasnet.search.SearchConfig;
import io.nasnet.space.Genotype;
import io.nasnet.surrogate.Surrogate;
import io.nasnet.surrogate.SurrogateFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Strategies on the benchmark: the objective's rewards, the curves, and the paired statistics. */
class BenchmarkTest {

    private static Benchmark.Variant variant(String strategy) {
        return new Benchmark.Variant(strategy, strategy, SearchConfig.load(null, List.of()).strategies());
    }

    @Test
    @Slow // fits a surrogate: Spark trees, 5 folds
    void theObjectiveReproducesASearchsRewardsExactlyForASeed() {
        Surrogate s = SurrogateFixture.fitted(TestSpark.local());
        Benchmark b = new Benchmark(s, 5, 30, 1);
        Benchmark.Noise noise = new Benchmark.Noise("n", 0.02, s.quality().share(0.02));
        List<HistoryRecord> once = b.rows(variant("evolution"), noise, 3);
        List<HistoryRecord> again = b.rows(variant("evolution"), noise, 3);
        assertThat(once).hasSize(30);
        assertThat(again.stream().map(HistoryRecord::reward).toList())
                .isEqualTo(once.stream().map(HistoryRecord::reward).toList());
        for (HistoryRecord h : once) {
            if (h.status() == io.nasnet.child.Status.CACHED) {
                assertThat(h.reward()).as("a repeat reuses its architecture's first reward").isEqualTo(once.stream()
                        .filter(e -> e.archId().equals(h.archId())).findFirst().orElseThrow().reward());
                continue;
            }
            double drawn = s.value(Genotype.parse(h.genotype())) + 0.02 * new Random(h.seed()).nextGaussian();
            assertThat(h.reward()).as("true value + 0.02 x the child seed's Gaussian").isEqualTo(drawn);
        }
        assertThat(b.rows(variant("evolution"), noise, 4).stream().map(HistoryRecord::reward).toList())
                .as("another seed, another search").isNotEqualTo(once.stream().map(HistoryRecord::reward).toList());
    }

    @Test
    @Slow // fits a surrogate: Spark trees, 5 folds
    void aCurveFollowsThePickByItsRewardAndScoresItByItsTruth() {
        Surrogate s = SurrogateFixture.fitted(TestSpark.local());
        Benchmark b = new Benchmark(s, 5, 30, 1);
        Benchmark.Noise noise = new Benchmark.Noise("n", 0.05, s.quality().share(0.05));
        List<HistoryRecord> rows = b.rows(variant("random"), noise, 7);
        Benchmark.Curve c = b.search(variant("random"), noise, 7);
        assertThat(c.children()).containsExactly(5, 10, 15, 20, 25, 30);
        for (int r = 0; r < 6; r++) {
            HistoryRecord pick = rows.subList(0, 5 * (r + 1)).stream()
                    .max(java.util.Comparator.comparingDouble(HistoryRecord::reward)).orElseThrow();
            assertThat(c.trueValue()[r]).isEqualTo(s.value(Genotype.parse(pick.genotype())));
            assertThat(c.childSeconds()[r]).isEqualTo(15.0 * 5 * (r + 1));
        }
        assertThat(c.at(12)).isEqualTo(c.trueValue()[1]);
        assertThat(c.at(4)).isNaN();
        assertThat(c.atSeconds(150)).isEqualTo(c.trueValue()[1]);
    }

    @Test
    void thePairedStatisticsAreTheHandWorkedOnes() {
        // differences 1, 2, 3, -4, 5: W- = 4; subsets of ranks 1..5 summing to <= 4: {}, 1, 2, 3, 4, 12, 13:
        // 7 of 32, so the exact two-sided p is 14 / 32
        double[] x = {11, 12, 13, 6, 15};
        double[] y = {10, 10, 10, 10, 10};
        assertThat(Benchmark.wilcoxon(x, y)).isCloseTo(14 / 32.0, within(1e-12));
        assertThat(Benchmark.wilcoxon(y, y)).as("every pair ties").isEqualTo(1.0);

        List<Benchmark.Curve> curves = List.of(
                curve("a", 1, 0.5, 0.7), curve("a", 2, 0.6, 0.6), curve("a", 3, 0.4, 0.9),
                curve("random", 1, 0.5, 0.6), curve("random", 2, 0.5, 0.6), curve("random", 3, 0.5, 0.8));
        Benchmark.Paired p = Benchmark.paired(curves, "a", "random", "n", 20);
        assertThat(p.seeds()).isEqualTo(3);
        assertThat(p.mean()).isCloseTo(2.2 / 3, within(1e-12));
        assertThat(p.baseline()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(p.wins()).as("seed 1 and 3 won, seed 2 tied").isEqualTo(2.5);
        // differences 0.1, 0, 0.1: the tie dropped, two positive differences (W- = 0): exact p of n = 2 is 2 x 1/4
        assertThat(p.p()).isCloseTo(0.5, within(1e-12));
        assertThat(Benchmark.paired(curves, "a", "random", "n", 10).wins()).as("seed 2 won, seed 1 tied, seed 3 lost").isEqualTo(1.5);
        // a after 10 children against random after 20: differences -0.1, 0, -0.4
        Benchmark.Paired half = Benchmark.paired(curves, "a", 10, "random", 20, "n");
        assertThat(half.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(half.baseline()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(half.wins()).isEqualTo(0.5);
        assertThat(half.p()).isCloseTo(0.5, within(1e-12));
        // random's mean at its last round is 2/3; a's mean is 0.5 after 10 children and 2.2/3 after 20
        assertThat(Benchmark.childrenToReach(curves, "a", "random", "n")).isEqualTo(20);
        assertThat(Benchmark.childrenToReach(curves, "random", "a", "n")).isEqualTo(-1);
    }

    @Test
    void aStudysPowerIsTheShareOfSimulatedStudiesThatFindTheDifference() {
        // every seed 0.1 better at 20 children, no noise: 10 positive pairs give the exact p 2/1024, 5 give
        // 2/32 = 0.0625, which can never be below 0.05
        List<Benchmark.Curve> curves = List.of(curve("a", 1, 0.5, 0.7), curve("a", 2, 0.5, 0.8),
                curve("random", 1, 0.5, 0.6), curve("random", 2, 0.5, 0.7));
        Benchmark.Noise none = new Benchmark.Noise("n", 0, 1);
        assertThat(Benchmark.power(curves, "a", "random", none, 20, 10, 3, 200, 1)).isEqualTo(1.0);
        assertThat(Benchmark.power(curves, "a", "random", none, 20, 5, 3, 200, 1)).isEqualTo(0.0);
        assertThat(Benchmark.power(curves, "random", "a", none, 20, 10, 3, 200, 1)).as("worse is not found better")
                .isEqualTo(0.0);
        assertThat(Benchmark.power(curves, "a", "random", none, 10, 10, 3, 200, 1)).as("every pair ties").isEqualTo(0.0);
        // no true difference, re-evaluation noise only: a study finds "better" about half of 5% of the time
        Benchmark.Noise noisy = new Benchmark.Noise("n", 0.05, 0.5);
        assertThat(Benchmark.power(curves, "a", "random", noisy, 10, 10, 3, 4000, 1)).isBetween(0.015, 0.035);
        assertThat(Benchmark.power(curves, "a", "random", noisy, 20, 10, 3, 200, 1)).as("0.1 against noise sd 0.04")
                .isGreaterThan(0.9);
        assertThat(Benchmark.power(curves, "a", "other", none, 20, 10, 3, 200, 1)).isNaN();
    }

    private static Benchmark.Curve curve(String variant, long seed, double at10, double at20) {
        return new Benchmark.Curve(variant, "n", seed, new int[]{10, 20}, new double[]{150, 300},
                new double[]{at10, at20});
    }

    @Test
    void curvesWrittenAndReadBackAreTheSameCurves(@TempDir Path dir) throws Exception {
        List<Benchmark.Curve> curves = List.of(curve("a", 1, 0.5, 0.7), curve("random", 1, 0.25, 0.125));
        Path csv = dir.resolve("curves.csv");
        BenchmarkFiles.append(csv, curves.subList(0, 1));
        BenchmarkFiles.append(csv, curves.subList(1, 2));
        List<Benchmark.Curve> back = BenchmarkFiles.read(csv);
        assertThat(back).hasSize(2);
        assertThat(back.get(1).trueValue()).containsExactly(0.25, 0.125);
        assertThat(back.get(0).childSeconds()).containsExactly(150.0, 300.0);
        assertThat(back.get(0).variant()).isEqualTo("a");
    }
}
