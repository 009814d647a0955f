package io.nasnet.study;

import io.nasnet.TestSpark;
import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The study's statistics against values worked out by hand. */
class StudyStatisticsTest {

    @Test
    void wilcoxonMatchesTheExactDistributionWorkedByHand() {
        // five pairs, every difference positive: W+ = 15, the most extreme of 2^5 sign patterns on each side
        assertThat(StudyStatistics.wilcoxon(new double[]{2, 3, 4, 5, 6}, new double[]{1, 1, 1, 1, 1}))
                .isCloseTo(2.0 / 32, within(1e-12));
        // differences +1, +2, -3, +4, +5: W- = 3; patterns with W- <= 3 ({}, {1}, {2}, {3}, {1,2}) = 5 of 32, two-sided
        assertThat(StudyStatistics.wilcoxon(new double[]{1, 2, -3, 4, 5}, new double[]{0, 0, 0, 0, 0}))
                .isCloseTo(2 * 5.0 / 32, within(1e-12));
        // a tie is dropped: four pairs left, all positive, p = 2/16
        assertThat(StudyStatistics.wilcoxon(new double[]{1, 2, 3, 4, 7}, new double[]{0, 0, 0, 0, 7}))
                .isCloseTo(2.0 / 16, within(1e-12));
        assertThat(StudyStatistics.wilcoxon(new double[]{1, 2}, new double[]{1, 2})).isEqualTo(1);
    }

    @Test
    void theBootstrapBandOfTheMedianSpansWhatResamplingCanGive() {
        // three seeds 1, 2, 3: a resample's median is one of them, all three occur in 2000 resamples
        double[][] band = StudyStatistics.bootstrapMedianBand(new double[][]{{1, 5}, {2, 5}, {3, 5}}, 2000, 1);
        assertThat(band[0]).containsExactly(1, 5);
        assertThat(band[1]).containsExactly(3, 5);
        assertThat(StudyStatistics.median(new double[]{3, 1, 2, Double.NaN})).isEqualTo(2);
        assertThat(StudyStatistics.median(new double[]{4, 1, 2, 3})).isEqualTo(2.5);
    }

    @Test
    void timeToTargetIsTheFirstBudgetThatReachesIt() {
        double[] x = {100, 200, 300, 400};
        assertThat(StudyStatistics.timeToTarget(x, new double[]{0.5, 0.7, 0.7, 0.8}, 0.7)).isEqualTo(200);
        assertThat(StudyStatistics.timeToTarget(x, new double[]{0.5, 0.6, 0.6, 0.65}, 0.7)).isNaN();
    }

    private static HistoryRecord child(String search, int round, int index, String arch, double reward, double seconds,
                                       int rung, int rungs) {
        Instant t = Instant.EPOCH;
        return HistoryRecord.of(Map.of("search_id", search, "round", round, "child_index", index, "arch_id", arch,
                "genotype", "g-" + arch, "strategy", "x", "status", Status.OK, "reward", reward, "started_at", t,
                "finished_at", t)).with(Map.of("rung", rung, "rungs", rungs, "rung_rewards", List.of(reward),
                "child_seconds", seconds));
    }

    /**
     * Two variants over five seeds in a real history table: each search's incumbent at 100 and 200
     * child-seconds, their qualities given, every figure of the analysis worked out by hand.
     */
    @Test
    void anytimeFiguresOfASyntheticTableMatchTheHandWorkedValues(@TempDir Path dir) {
        SparkSession spark = TestSpark.local();
        HistoryTable table = new HistoryTable(spark, dir.resolve("history").toString());
        List<HistoryRecord> rows = new ArrayList<>();
        Map<String, Double> quality = new java.util.HashMap<>();
        for (int seed = 1; seed <= 5; seed++) {
            // random: 4 children of 60 s; "a" then "b" (better proxy reward); only 3 fit in 200 s
            String r = "study-random-seed" + seed;
            rows.add(child(r, 0, 0, "ra" + seed, 0.5, 60, 0, 1));
            rows.add(child(r, 0, 1, "rb" + seed, 0.6, 60, 0, 1));
            rows.add(child(r, 1, 0, "rc" + seed, 0.4, 60, 0, 1));
            rows.add(child(r, 1, 1, "rd" + seed, 0.9, 60, 0, 1)); // at 240 s: past the budget
            quality.put("ra" + seed, 0.50);
            quality.put("rb" + seed, 0.55);
            // evolution with rungs: a child stopped at rung 0 has a higher reward but is never the incumbent
            String e = "study-evolution-rungs-seed" + seed;
            rows.add(child(e, 0, 0, "ea" + seed, 0.95, 20, 0, 2));
            rows.add(child(e, 0, 1, "eb" + seed, 0.6, 70, 1, 2));
            rows.add(child(e, 1, 0, "ec" + seed, 0.7, 70, 1, 2));
            quality.put("eb" + seed, 0.56);
            quality.put("ec" + seed, 0.60 + seed / 100.0);
        }
        table.write(table.rows(rows));
        List<Anytime.Trace> traces = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            for (String v : List.of("random", "evolution-rungs")) {
                String id = "study-" + v + "-seed" + seed;
                traces.add(Anytime.Trace.of(id, v, seed, table.records(id), 200));
            }
        }
        Anytime.Trace first = traces.get(0);
        assertThat(first.spent()).containsExactly(60, 120, 180);
        assertThat(first.incumbent(100)).isEqualTo(0);
        assertThat(first.incumbent(200)).isEqualTo(1);
        assertThat(traces.get(1).incumbent(100)).as("a stopped child is never the incumbent").isEqualTo(1);

        Anytime.Result r = Anytime.analyse(traces, Anytime.checkpoints(200, 2), quality, "random");
        assertThat(r.checkpoints()).containsExactly(100, 200);
        assertThat(r.target()).isCloseTo(0.55, within(1e-12));
        Anytime.VariantFigures random = r.variants().get(0);
        Anytime.VariantFigures evo = r.variants().get(1);
        assertThat(random.median()).containsExactly(0.50, 0.55);
        // evolution: 0.56 at 100 s (eb), at 200 s ec = 0.61 .. 0.65, median 0.63
        assertThat(evo.median()[0]).isCloseTo(0.56, within(1e-12));
        assertThat(evo.median()[1]).isCloseTo(0.63, within(1e-12));
        assertThat(evo.wins()).isEqualTo(5);
        assertThat(evo.pairs()).isEqualTo(5);
        assertThat(evo.pFinal()).isCloseTo(2.0 / 32, within(1e-12));
        // top 5 (here all distinct whole-proxy rewards): random (0.5+0.6+0.4)/3 = 0.5, evolution (0.6+0.7)/2
        assertThat(r.searches().get(0).top5()).isCloseTo(0.5, within(1e-12));
        assertThat(evo.top5Median()).isCloseTo(0.65, within(1e-12));
        assertThat(evo.timeToTarget()).as("0.56 >= 0.55 at the first checkpoint").isEqualTo(100);
        assertThat(random.timeToTarget()).isEqualTo(200);
        assertThat(evo.low()[1]).isBetween(0.61, 0.63);
        assertThat(evo.high()[1]).isBetween(0.63, 0.65);
        assertThat(Anytime.incumbents(traces, r.checkpoints())).hasSize(20);
    }

    @Test
    void theRewardNoiseComponentsMatchATwoWayAnalysisWorkedByHand() {
        // A = (1, 2), B = (3, 5) over two seeds: grand mean 2.75; mean squares 6.25 (architecture), 2.25 (seed),
        // 0.25 (residual, each cell off by 0.25); components (6.25 - 0.25) / 2 = 3, (2.25 - 0.25) / 2 = 1, 0.25
        RewardNoise.Result r = RewardNoise.analyse(List.of(new RewardNoise.Arch("A", "a", new double[]{1, 2}),
                new RewardNoise.Arch("B", "b", new double[]{3, 5})), List.of(1L, 2L));
        assertThat(r.grandMean()).isCloseTo(2.75, within(1e-12));
        assertThat(r.archVariance()).isCloseTo(3, within(1e-12));
        assertThat(r.seedVariance()).isCloseTo(1, within(1e-12));
        assertThat(r.residualVariance()).isCloseTo(0.25, within(1e-12));
        assertThat(r.archShare()).isCloseTo(3 / 4.25, within(1e-12));
        assertThat(r.reliability()[1]).as("two seeds averaged").isCloseTo(3 / (3 + 1.25 / 2), within(1e-12));
        assertThat(r.reliabilityCommonSeed()[0]).isCloseTo(3 / 3.25, within(1e-12));
        // F = 25 on (1, 1) degrees of freedom: P(F > f) = 1 - (2 / pi) atan(sqrt f)
        assertThat(r.archP()).isCloseTo(1 - 2 / Math.PI * Math.atan(5), within(1e-9));
    }

    @Test
    void theProxyStudysShareIsTheIntraclassCorrelationWithItsExactInterval() {
        // A = (1, 2), B = (3, 5): mean squares 6.25 between architectures (1 df), 1.25 within (2 df), F = 5;
        // ICC = (F - 1) / (F + n - 1) = 4 / 6; interval from F / F(0.975; 1, 2) = 5 / 38.5063 and
        // F * F(0.975; 2, 1) = 5 * 799.50
        ProxyGrid.Share s = ProxyGrid.share(new double[][]{{1, 2}, {3, 5}});
        assertThat(s.estimate()).isCloseTo(4.0 / 6, within(1e-12));
        double fl = 5 / 38.5063;
        double fu = 5 * 799.50;
        assertThat(s.low()).as("(%s - 1) / (%s + 1) < 0, clipped", fl, fl).isZero();
        assertThat(s.high()).isCloseTo((fu - 1) / (fu + 1), within(1e-5));
        // architectures that differ by nothing but noise: no share; rewards without noise: all of it
        assertThat(ProxyGrid.share(new double[][]{{1, 2}, {2, 1}, {1.5, 1.5}}).estimate()).isZero();
        assertThat(ProxyGrid.share(new double[][]{{1, 1}, {2, 2}})).isEqualTo(new ProxyGrid.Share(1, 1, 1));
    }

    @Test
    void aStudyLargerThanItsTimeBudgetSaysHowFarItWillGet() {
        // 10 searches of 600 child-seconds on 2 slots: 300 s each, 50 minutes; 30 minutes get through 6
        assertThat(StrategyStudy.reach(600, 10, 2, java.time.Duration.ofMinutes(30)))
                .contains("need at least 50 minutes on 2 slots").contains("get through about 6 of them");
        assertThat(StrategyStudy.reach(600, 10, 2, java.time.Duration.ofHours(1))).doesNotContain("get through");
    }

    @Test
    void variantsNameTheirOptionsAndAnUnknownOneIsRefused() {
        assertThat(StrategyStudy.Variant.parse("evolution-predictor-rungs"))
                .isEqualTo(new StrategyStudy.Variant("evolution", true, true));
        assertThat(StrategyStudy.Variant.parse("random")).isEqualTo(new StrategyStudy.Variant("random", false, false));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrategyStudy.Variant.parse("ppo-fast"))
                .hasMessageContaining("'fast' is not an option");
    }
}
