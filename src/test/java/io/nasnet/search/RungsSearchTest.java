package io.nasnet.search;

import io.nasnet.engine.RoundEngine;
import io.nasnet.Poll;
import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.child.Status;
import io.nasnet.config.ConfigException;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.HistoryViews;
import io.nasnet.space.Genotype;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Successive halving inside a search's rounds: promotion, rows, cost, resuming, refusals. */
class RungsSearchTest extends LocalSearchTest {

    static SearchConfig config(Path dir, String... sets) {
        return TestSearch.config(data, dir, sets);
    }

    @Test
    @Slow
    void eachRungKeepsTheBestThirdByRewardTiesToTheLowerIndexAndTheLastRungIsTheWholeProxy(@TempDir Path dir)
            throws Exception {
        // 80 training images in batches of 16, 9 epochs: 45 steps, rungs at 5, 15 and 45
        SearchConfig c = config(dir, "search.id=halving", "search.strategy=random", "search.population=9",
                "search.rounds=2", "search.rungs=3", "search.eta=3", "child.epochs=9");
        SyntheticTrainer.TRAINED_TO.clear();
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        for (int round = 0; round < 2; round++) {
            List<HistoryRecord> rows = table.read("halving", round);
            assertThat(rows).hasSize(9);
            Map<Integer, Long> atRung = rows.stream().collect(Collectors.groupingBy(HistoryRecord::rung, Collectors.counting()));
            assertThat(atRung).containsExactlyInAnyOrderEntriesOf(Map.of(0, 6L, 1, 2L, 2, 1L));
            // the three of highest first-rung reward went on, the lower index first on equal rewards
            List<Integer> byFirstRung = rows.stream().sorted(Comparator.<HistoryRecord>comparingDouble(
                    h -> -h.rungRewards().get(0)).thenComparingInt(HistoryRecord::childIndex))
                    .map(HistoryRecord::childIndex).toList();
            assertThat(rows.stream().filter(h -> h.rung() >= 1).map(HistoryRecord::childIndex).collect(Collectors.toSet()))
                    .isEqualTo(Set.copyOf(byFirstRung.subList(0, 3)));
            for (HistoryRecord h : rows) {
                double whole = SyntheticTrainer.reward(Genotype.parse(h.genotype()));
                assertThat(h.rungs()).isEqualTo(3);
                assertThat(h.rungRewards()).hasSize(h.rung() + 1);
                assertThat(h.rungRewards().get(0)).isEqualTo(whole * 5 / 45);
                assertThat(h.reward()).isEqualTo(h.rungRewards().get(h.rung()));
                assertThat(h.wholeProxy()).isEqualTo(h.rung() == 2);
                if (h.wholeProxy()) {
                    assertThat(h.reward()).as("the last rung's reward is the whole proxy's").isEqualTo(whole);
                }
                assertThat(h.childSeconds()).isPositive();
            }
            assertThat(Files.exists(dir.resolve("ckpt/halving.rungs/round-" + round)))
                    .as("a recorded round's states are gone").isFalse();
        }
        // every (architecture, rung) trained once: 9 to step 5, 3 to 15, 1 to 45 per round
        Map<String, Integer> byStep = new HashMap<>();
        SyntheticTrainer.TRAINED_TO.forEach((k, n) -> byStep.merge(k.substring(k.indexOf('@')), n, Integer::sum));
        assertThat(byStep).containsExactlyInAnyOrderEntriesOf(Map.of("@5", 18, "@15", 6, "@45", 2));
        assertThat(SyntheticTrainer.TRAINED_TO.values()).containsOnly(1);

        HistoryViews.register(spark, table);
        List<Row> rounds = spark.sql("SELECT round, rungs, whole_proxy, child_seconds, total_child_seconds, utilization "
                + "FROM nas_rounds WHERE search_id = 'halving' ORDER BY round").collectAsList();
        assertThat(rounds).hasSize(2);
        double total = 0;
        for (Row r : rounds) {
            assertThat(r.getInt(1)).isEqualTo(3);
            assertThat(r.getLong(2)).isEqualTo(1);
            total += r.getDouble(3);
            assertThat(r.getDouble(4)).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.getDouble(5)).isBetween(0.0, 1.0);
        }
        assertThat(spark.sql("SELECT count(*) FROM nas_best WHERE search_id = 'halving'").first().getLong(0))
                .as("only whole-proxy rows are candidates for best").isEqualTo(2);
        assertThat(new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run().best().orElseThrow().wholeProxy())
                .isTrue();
    }

    private static HistoryRecord row(int child, Status status, double reward) {
        Instant t = Instant.EPOCH;
        return HistoryRecord.of(Map.of("search_id", "s", "child_index", child, "arch_id", "a" + child, "genotype", "g",
                "strategy", "random", "status", status, "reward", reward, "seed", child, "started_at", t,
                "finished_at", t));
    }

    @Test
    void promotionTakesTheHighestRewardsNeverAFailureAndBreaksTiesByChildIndex() {
        List<HistoryRecord> rung = List.of(row(0, Status.OK, 0.5), row(1, Status.OK, 0.7), row(2, Status.OK, 0.7),
                row(3, Status.OK, 0.1), row(4, Status.FAILED, 0), row(5, Status.DIVERGED, 0));
        assertThat(io.nasnet.engine.RoundEngine.promote(rung, 2)).containsExactly(1, 2);
        assertThat(io.nasnet.engine.RoundEngine.promote(rung, 3)).containsExactly(0, 1, 2);
        assertThat(io.nasnet.engine.RoundEngine.promote(rung, 6)).as("only children that trained").containsExactly(0, 1, 2, 3);
        List<HistoryRecord> tied = List.of(row(4, Status.OK, 0.5), row(2, Status.OK, 0.5), row(7, Status.OK, 0.5));
        assertThat(io.nasnet.engine.RoundEngine.promote(tied, 1)).containsExactly(2);
        assertThat(io.nasnet.engine.RoundEngine.promote(tied, 2)).containsExactly(2, 4);
    }

    @Test
    void withoutRungsEachChildHasOneRowAtTheWholeProxyAsBefore(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=plain", "search.rounds=1");
        assertThat(c.rungs().on()).isFalse();
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        List<HistoryRecord> rows = new HistoryTable(spark, c.historyPath()).read("plain", 0);
        assertThat(rows).hasSize(3).allSatisfy(h -> {
            assertThat(h.rung()).isZero();
            assertThat(h.rungs()).isEqualTo(1);
            assertThat(h.rungRewards()).isEmpty();
            assertThat(h.wholeProxy()).isTrue();
            assertThat(h.reward()).isEqualTo(SyntheticTrainer.reward(Genotype.parse(h.genotype())));
            // the task's time from start to finish (the table keeps timestamps to the microsecond)
            assertThat(h.childSeconds()).isPositive().isCloseTo(java.time.Duration.between(h.startedAt(), h.finishedAt())
                    .toNanos() / 1e9, org.assertj.core.data.Offset.offset(2e-6));
        });
    }

    @Test
    void rungSettingsThatCannotWorkAreRefusedBeforeAnyChildTrains(@TempDir Path dir) {
        assertThatThrownBy(() -> config(dir, "search.rungs=2", "search.eta=1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("search.eta");
        assertThatThrownBy(() -> config(dir, "search.rungs=3", "search.eta=3", "search.population=8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("search.population = 8");
        // 80 images in batches of 16, one epoch: 5 steps cannot make 4 rungs of eta 2 (0.6, 1.25, 2.5, 5)
        SearchConfig c = config(dir, "search.id=split", "search.rungs=4", "search.eta=2", "search.population=8");
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run())
                .isInstanceOf(ConfigException.class).hasMessageContaining("nasnet.search.rungs = 4")
                .hasMessageContaining("only 5 training steps");
        assertThat(new HistoryTable(spark, c.historyPath()).search("split").count()).isZero();
        assertThat(Files.exists(dir.resolve("ckpt/split.ckpt"))).isFalse();
    }

    @Test
    void aChildSecondsBudgetStopsTheSearchOnceSpentAndItStaysComplete(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=budget", "search.rounds=0", "search.child-seconds=0.000001");
        RoundEngine.Summary first = new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        assertThat(first.roundsRun()).isEqualTo(1);
        assertThat(first.complete()).isTrue();
        RoundEngine.Summary again = new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        assertThat(again.roundsRun()).isZero();
        assertThat(again.complete()).isTrue();
        assertThatThrownBy(() -> config(dir, "search.rounds=0")).hasMessageContaining("search.child-seconds");
    }

    /**
     * A driver process training real children in rungs, killed with SIGKILL once the first of its rung
     * rows is saved, then resumed here: no rung whose row was saved is trained again; only the children
     * in flight at the kill (at most one per task slot, their training lost with the process, or ended
     * but not yet saved) train again; every rung the table shows was trained.
     */
    @Test
    @Slow
    void aDriverKilledMidRungThenResumedTrainsNoChildToARungTwice(@TempDir Path dir) throws Exception {
        String[] sets = {"search.id=killed", "search.strategy=random", "search.population=9", "search.rounds=2",
                "search.rungs=2", "search.eta=3", "child.epochs=3", "search.lease-ttl=5s"};
        SearchConfig c = config(dir, sets);
        Path conf = TestSearch.conf(dir.resolve("search.conf"), data, dir, sets);
        Path count = dir.resolve("trained.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), RungDriver.class.getName(),
                conf.toString(), count.toString()));
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile()).start();
        Path rungs = dir.resolve("ckpt/killed.rungs/round-0");
        Poll.until("a rung's saved row or the driver's end", Duration.ofSeconds(180),
                () -> hasRow(rungs) || !driver.isAlive());
        driver.destroyForcibly();
        assertThat(driver.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // what the killed driver had saved: "round child step" of each rung row on disk
        List<String> saved = new ArrayList<>();
        if (Files.isDirectory(rungs)) {
            try (var files = Files.list(rungs)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".row")).forEach(n -> {
                    String[] p = n.split("[.-]");   // child-I.rung-R.row
                    saved.add("0 " + p[1] + " " + (p[3].equals("0") ? 5 : 15));
                });
            }
        }
        assertThat(saved).isNotEmpty();
        List<String> beforeKill = Files.exists(count) ? Files.readAllLines(count) : List.of();
        assertThat(beforeKill).as("children had trained to the first rung; driver log:%n%s",
                Files.readString(dir.resolve("driver.log"))).isNotEmpty();
        assertThat(new HistoryTable(spark, c.historyPath()).search("killed").count()).as("killed mid-round").isZero();

        // once the dead driver's lease has expired (search.lease-ttl = 5s)
        new SearchJob(spark, c, RungDriver.counting(count), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(6))).run();
        List<String> trained = Files.readAllLines(count);
        Map<String, Long> times = trained.stream().collect(Collectors.groupingBy(t -> t, Collectors.counting()));
        assertThat(saved).as("a rung saved before the kill is read back, never trained again")
                .allSatisfy(k -> assertThat(times.get(k)).as(k).isEqualTo(1));
        Map<String, Long> again = new HashMap<>(times);
        again.values().removeIf(n -> n == 1);
        assertThat(again).as("trained twice: only children in flight at the kill, one per task slot at most")
                .hasSizeLessThanOrEqualTo(2).allSatisfy((k, n) -> assertThat(n).isEqualTo(2));
        assertThat(again.keySet()).doesNotContainAnyElementsOf(saved);
        List<String> expected = new ArrayList<>();
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        for (int round = 0; round < 2; round++) {
            List<HistoryRecord> rows = table.read("killed", round);
            assertThat(rows).extracting(HistoryRecord::childIndex).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(rows.stream().filter(h -> h.rung() == 1).count()).isEqualTo(3);
            for (HistoryRecord h : rows) {
                for (int r = 0; r <= h.rung(); r++) {
                    expected.add(round + " " + h.childIndex() + " " + (r == 0 ? 5 : 15));
                }
            }
        }
        assertThat(times.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static boolean hasRow(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".row"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
