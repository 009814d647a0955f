package io.nasnet.history;

import io.nasnet.Slow;
import io.nasnet.TestSpark;
import io.nasnet.child.Status;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The strategy comparison against figures computed by hand from a synthetic table of four searches. */
@Slow
class StrategyComparisonTest {

    static SparkSession spark;
    static HistoryTable table;
    static final List<StrategyComparison.Entry> ENTRIES = List.of(
            new StrategyComparison.Entry("q-ppo-seed1", "ppo", 1), new StrategyComparison.Entry("q-random-seed1", "random", 1),
            new StrategyComparison.Entry("q-ppo-seed2", "ppo", 2), new StrategyComparison.Entry("q-random-seed2", "random", 2));

    /** A search of rounds of three children: rewards in sampling order, arch ids by letter, "!" = failed. */
    static List<HistoryRecord> search(String id, String strategy, String archs, double... rewards) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<HistoryRecord> out = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            char a = archs.charAt(i);
            Status status = a == '!' ? Status.FAILED : i > 0 && archs.indexOf(a) < i ? Status.CACHED : Status.OK;
            out.add(HistoryRecord.of(Map.ofEntries(Map.entry("search_id", id), Map.entry("round", i / 3),
                    Map.entry("child_index", i % 3),
                    Map.entry("arch_id", id + "-" + (a == '!' ? "fail" + i : String.valueOf(a))), Map.entry("genotype", "g"),
                    Map.entry("strategy", strategy), Map.entry("status", status), Map.entry("reward", rewards[i]),
                    Map.entry("started_at", t), Map.entry("finished_at", t), Map.entry("slots", 2))));
        }
        return out;
    }

    @BeforeAll
    static void table(@TempDir Path dir) {
        spark = TestSpark.local();
        table = new HistoryTable(spark, dir.resolve("h").toString());
        List<HistoryRecord> rows = new ArrayList<>();
        rows.addAll(search("q-ppo-seed1", "ppo", "abcdde", 0.5, 0.6, 0.4, 0.7, 0.7, 0.2));
        // three rounds where the others have two; child 1 failed; the last two children are one architecture
        rows.addAll(search("q-ppo-seed2", "ppo", "f!hijklzz", 0.3, 0.0, 0.65, 0.66, 0.1, 0.5, 0.9, 0.1, 0.1));
        rows.addAll(search("q-random-seed1", "random", "mnopqr", 0.6, 0.2, 0.3, 0.4, 0.5, 0.1));
        rows.addAll(search("q-random-seed2", "random", "stuvwx", 0.1, 0.2, 0.3, 0.8, 0.1, 0.1));
        rows.addAll(search("other", "ppo", "abc", 0.99, 0.99, 0.99));
        table.write(spark.createDataFrame(rows.stream().map(HistoryRecord::toRow).toList(), HistoryRecord.SCHEMA));
    }

    @Test
    void curvesAreTheBestSoFarOverSeedsUpToTheShortestSearch() {
        StrategyComparison c = StrategyComparison.of(table, ENTRIES, 0);
        assertThat(c.curves()).extracting(StrategyComparison.Curve::strategy).containsExactly("ppo", "random");
        StrategyComparison.Curve ppo = c.curves().get(0);
        assertThat(ppo.seeds()).isEqualTo(2);
        assertThat(ppo.children()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(ppo.mean()).containsExactly(new double[]{0.4, 0.45, 0.625, 0.68, 0.68, 0.68}, within(1e-12));
        assertThat(ppo.min()).containsExactly(new double[]{0.3, 0.3, 0.6, 0.66, 0.66, 0.66}, within(1e-12));
        assertThat(ppo.max()).containsExactly(new double[]{0.5, 0.6, 0.65, 0.7, 0.7, 0.7}, within(1e-12));
        StrategyComparison.Curve random = c.curves().get(1);
        assertThat(random.mean()).containsExactly(new double[]{0.35, 0.4, 0.45, 0.7, 0.7, 0.7}, within(1e-12));
        assertThat(random.min()).containsExactly(new double[]{0.1, 0.2, 0.3, 0.6, 0.6, 0.6}, within(1e-12));

        // uncut, a search's end is its last child: seed 2 of ppo had nine
        StrategyComparison.SearchEnd longer = c.searches().stream()
                .filter(e -> e.searchId().equals("q-ppo-seed2")).findFirst().orElseThrow();
        assertThat(longer.children()).isEqualTo(9);
        assertThat(longer.best()).isEqualTo(0.9);
        assertThat(longer.top5()).isCloseTo((0.9 + 0.66 + 0.65 + 0.5 + 0.3) / 5, within(1e-12));
        assertThat(longer.top25()).as("8 distinct architectures, the repeated one once, the failed one at 0")
                .isCloseTo((0.3 + 0 + 0.65 + 0.66 + 0.1 + 0.5 + 0.9 + 0.1) / 8, within(1e-12));
    }

    @Test
    void atEqualBudgetEndsTopMeansAndSeedPairsAreAsComputedByHand() {
        StrategyComparison c = StrategyComparison.of(table, ENTRIES, 6);
        assertThat(c.searches()).extracting(StrategyComparison.SearchEnd::children).containsOnly(6);
        StrategyComparison.SearchEnd ppo2 = c.searches().get(2);
        assertThat(ppo2.searchId()).isEqualTo("q-ppo-seed2");
        assertThat(ppo2.best()).isEqualTo(0.66);
        assertThat(ppo2.top5()).isCloseTo((0.66 + 0.65 + 0.5 + 0.3 + 0.1) / 5, within(1e-12));
        assertThat(ppo2.top25()).isCloseTo((0.3 + 0 + 0.65 + 0.66 + 0.1 + 0.5) / 6, within(1e-12));
        StrategyComparison.SearchEnd ppo1 = c.searches().get(0);
        assertThat(ppo1.top5()).as("a, b, c, d once, e").isCloseTo((0.7 + 0.6 + 0.5 + 0.4 + 0.2) / 5, within(1e-12));

        StrategyComparison.Summary s = c.summaries().get(0);
        assertThat(s.best().median()).isCloseTo((0.7 + 0.66) / 2, within(1e-12));
        assertThat(s.best().min()).isEqualTo(0.66);
        assertThat(s.best().max()).isEqualTo(0.7);

        List<StrategyComparison.Pair> pairs = c.paired("random", "ppo");
        assertThat(pairs).extracting(StrategyComparison.Pair::seed).containsExactly(1L, 2L);
        assertThat(pairs.get(0).bestDifference()).isCloseTo(0.7 - 0.6, within(1e-12));
        assertThat(pairs.get(1).bestDifference()).isCloseTo(0.66 - 0.8, within(1e-12));
        assertThat(pairs.get(1).top5Difference()).isCloseTo((0.66 + 0.65 + 0.5 + 0.3 + 0.1) / 5
                - (0.8 + 0.3 + 0.2 + 0.1 + 0.1) / 5, within(1e-12));
        assertThat(pairs.get(0).top25Difference()).isCloseTo((0.5 + 0.6 + 0.4 + 0.7 + 0.2) / 5 - 2.1 / 6, within(1e-12));

        assertThat(c.markdown()).contains("| ppo | 2 | 6 | 0.6800 (0.6600-0.7000) |")
                .contains("ppo minus random, same seed:").contains("| 1 | +0.1000 |").contains("| 2 | -0.1400 |")
                .contains("ppo found the better best architecture in 1 of 2 seeds (0 tied).");
        assertThat(c.curvesCsv()).startsWith("strategy,children,seeds,best_mean,best_min,best_max\n")
                .contains("ppo,3,2,0.625000,0.600000,0.650000\n").contains("random,4,2,0.700000,0.600000,0.800000\n");
    }
}
