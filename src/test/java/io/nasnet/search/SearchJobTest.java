package io.nasnet.search;

import io.nasnet.engine.RoundEngine;
import io.nasnet.Poll;
import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.child.Status;
import io.nasnet.config.ConfigException;
import io.nasnet.controller.PolicyGradient;
import io.nasnet.controller.Strategies;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.HistoryViews;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchJobTest extends LocalSearchTest {

    static SearchConfig config(Path dir, String... sets) {
        return TestSearch.config(data, dir, sets);
    }

    @Test
    @Slow
    void twoRoundsOfRealTrainingLandInTheTableAndTeachTheController(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=real");
        RoundEngine.Summary s = new SearchJob(spark, c, TrainerFactory.dl4j()).run();
        assertThat(s.roundsRun()).isEqualTo(2);
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        assertThat(table.rounds("real")).containsExactly(0, 1);
        for (int r = 0; r < 2; r++) {
            List<HistoryRecord> rows = table.read("real", r);
            assertThat(rows).extracting(HistoryRecord::childIndex).containsExactly(0, 1, 2);
            for (HistoryRecord h : rows) {
                assertThat(h.status()).isEqualTo(Status.OK);
                assertThat(h.reward()).isBetween(0.0, 1.0).isEqualTo(h.validationAccuracy().get(0));
                assertThat(h.params()).isPositive();
                assertThat(h.archId()).isEqualTo(Genotype.parse(h.genotype()).id());
                assertThat(h.strategy()).isEqualTo("ppo");
                assertThat(h.logProb()).isNegative();
            }
        }
        assertThat(Files.exists(dir.resolve("ckpt/real.ckpt"))).isTrue();
        assertThat(s.best()).isPresent();
        assertControllerMatchesTable(c, table);
    }

    static void assertControllerMatchesTable(SearchConfig c, HistoryTable table) throws Exception {
        Replay.assertControllerMatchesTable(c, table, new org.apache.hadoop.conf.Configuration());
    }

    @Test
    void aRunContinuesTheSearchAndARerunRoundReplacesItself(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=resume", "search.rounds=1");
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        new SearchJob(spark, c, fake).run();
        Path ckpt = dir.resolve("ckpt/resume.ckpt");
        byte[] afterRound0 = Files.readAllBytes(ckpt);
        new SearchJob(spark, c, fake).run();
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        assertThat(table.rounds("resume")).containsExactly(0, 1);
        List<String> round1 = table.read("resume", 1).stream().map(h -> h.genotype() + " " + h.status()).toList();

        // as if the driver died after writing round 1 but before its checkpoint: round 1 runs again
        Files.write(ckpt, afterRound0);
        new SearchJob(spark, c, fake).run();
        assertThat(table.rounds("resume")).containsExactly(0, 1);
        assertThat(table.search("resume").count()).isEqualTo(6);
        // the same children, trained again (not served from the rows they replace)
        assertThat(table.read("resume", 1).stream().map(h -> h.genotype() + " " + h.status()).toList())
                .isEqualTo(round1);
        assertControllerMatchesTable(c, table);
    }

    @Test
    void maxRoundsBoundsTheWholeSearchOverItsRuns(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=bounded", "search.rounds=2", "search.max-rounds=3");
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        RoundEngine.Summary first = new SearchJob(spark, c, fake).run();
        assertThat(first.roundsRun()).isEqualTo(2);
        assertThat(first.complete()).isFalse();
        RoundEngine.Summary second = new SearchJob(spark, c, fake).run();
        assertThat(second.firstRound()).isEqualTo(2);
        assertThat(second.roundsRun()).as("only the one round left").isEqualTo(1);
        assertThat(second.complete()).isTrue();
        byte[] checkpoint = Files.readAllBytes(dir.resolve("ckpt/bounded.ckpt"));
        RoundEngine.Summary third = new SearchJob(spark, c, fake).run();
        assertThat(third.roundsRun()).isZero();
        assertThat(third.complete()).isTrue();
        assertThat(new HistoryTable(spark, c.historyPath()).rounds("bounded")).containsExactly(0, 1, 2);
        assertThat(Files.readAllBytes(dir.resolve("ckpt/bounded.ckpt"))).isEqualTo(checkpoint);
        // the rows say which data they were trained on
        assertThat(new HistoryTable(spark, c.historyPath()).records("bounded")).extracting(HistoryRecord::dataChecksum)
                .containsOnly(io.nasnet.data.Datasets.check(c.data())).allMatch(x -> x.matches("[0-9a-f]{16}"));
    }

    @Test
    @Slow
    void aDriverKilledMidRoundLosesNothingAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        SearchConfig c = killMidRoundThenResume(dir, 2);
        assertControllerMatchesTable(c, new HistoryTable(spark, c.historyPath()));
    }

    @Test
    @Slow
    void evolutionWithThePredictorKilledMidRoundEndsAsAnUninterruptedSearch(@TempDir Path dir) throws Exception {
        String[] evo = {"search.strategy=evolution", "evolution.population=4", "evolution.sample=2",
                "predictor.enabled=true", "predictor.min-rows=10", "predictor.candidates=2"};
        // resumed for 5 rounds: the predictor ranks from round 5, with 10 rows
        SearchConfig c = killMidRoundThenResume(dir.resolve("killed"), 5, evo);
        int rounds = new HistoryTable(spark, c.historyPath()).rounds("killed").size();
        SearchConfig whole = config(dir.resolve("whole"), concat(evo, "search.id=killed", "search.population=2",
                "search.rounds=" + rounds));
        new SearchJob(spark, whole, TrainerFactory.dl4j()).run();
        java.util.function.Function<HistoryRecord, String> outcome = r -> r.round() + "/" + r.childIndex() + " "
                + r.archId() + " " + r.status() + " " + r.reward() + " <- " + r.parentArchId() + " "
                + r.predictedReward() + " " + r.predictor();
        assertThat(new HistoryTable(spark, c.historyPath()).records("killed")).extracting(outcome)
                .isEqualTo(new HistoryTable(spark, whole.historyPath()).records("killed").stream().map(outcome).toList())
                .anyMatch(o -> o.contains("gradient-boosted trees"));
        assertThat(Files.readAllBytes(Path.of(c.checkpointPath(), "killed.ckpt")))
                .isEqualTo(Files.readAllBytes(Path.of(whole.checkpointPath(), "killed.ckpt")));
    }

    /**
     * A search of 6 rounds of 2 real children run by a driver process killed with SIGKILL in round 1,
     * then resumed here for {@code resumeRounds} rounds once its lease expired; checks each round holds
     * each child once.
     */
    private SearchConfig killMidRoundThenResume(Path dir, int resumeRounds, String... more) throws Exception {
        String[] sets = concat(new String[]{"search.id=killed", "search.population=2", "search.rounds=6",
                "search.lease-ttl=5s"}, more);
        Files.createDirectories(dir);
        SearchConfig c = config(dir, sets);
        Path conf = TestSearch.conf(dir.resolve("search.conf"), data, dir, sets);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.nasnet.cli.Main",
                "search", "--conf", conf.toString()));
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile()).start();
        Path ckpt = Path.of(c.checkpointPath(), "killed.ckpt");
        Poll.until("round 0's checkpoint or the driver's end", Duration.ofSeconds(180),
                () -> Files.exists(ckpt) || !driver.isAlive());
        assertThat(Files.exists(ckpt)).as("round 0 finished; driver log:%n%s",
                Files.exists(dir.resolve("driver.log")) ? Files.readString(dir.resolve("driver.log")) : "").isTrue();
        Poll.until("the driver to train round 1", Duration.ofSeconds(60),
                () -> log(dir).contains(" round 1 (task attempt"));
        driver.destroyForcibly();   // SIGKILL, as kill -9
        assertThat(driver.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        SearchConfig resume = config(dir, concat(sets, "search.rounds=" + resumeRounds));
        // one driver per search: the dead driver's lease holds until it expires, naming its holder
        byte[] beforeRefusal = Files.readAllBytes(ckpt);
        assertThatThrownBy(() -> new SearchJob(spark, resume, TrainerFactory.dl4j()).run())
                .hasMessageContaining("search killed is being run by host")
                .hasMessageContaining("pid " + driver.pid());
        assertThat(Files.readAllBytes(ckpt)).as("the refused run changed nothing").isEqualTo(beforeRefusal);
        // once the dead driver's lease has expired (search.lease-ttl = 5s)
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(6));
        RoundEngine.Summary s = new SearchJob(spark, resume, TrainerFactory.dl4j(), later).run();
        assertThat(s.firstRound()).isGreaterThanOrEqualTo(1);
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        List<Integer> rounds = table.rounds("killed");
        assertThat(rounds).hasSize(s.firstRound() + resumeRounds);
        for (int r = 0; r < rounds.size(); r++) {
            assertThat(rounds.get(r)).isEqualTo(r);
            assertThat(table.read("killed", r)).extracting(HistoryRecord::childIndex).containsExactly(0, 1);
        }
        return c;
    }

    @Test
    void aFailingChildIsRecordedAndTheRoundCompletes(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=failing", "search.rounds=1");
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of(1))).run();
        List<HistoryRecord> rows = new HistoryTable(spark, c.historyPath()).read("failing", 0);
        assertThat(rows).extracting(HistoryRecord::status).containsExactly(Status.OK, Status.FAILED, Status.OK);
        assertThat(rows.get(1).error()).contains("synthetic failure of child 1");
        assertThat(rows.get(1).reward()).isZero();
    }

    @Test
    void architecturesAlreadyTrainedAreReusedAsCached(@TempDir Path dir) throws Exception {
        // a controller that collapses at once onto a few architectures, so later rounds repeat them
        SearchConfig c = config(dir, "search.id=cache", "search.rounds=4", "search.population=4",
                "controller.learning-rate=0.5", "controller.entropy-weight=0", "search.blocks=1");
        SyntheticTrainer.TRAINED.clear();
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        List<HistoryRecord> all = table.search("cache").collectAsList().stream().map(HistoryRecord::fromRow).toList();
        List<HistoryRecord> cached = all.stream().filter(h -> h.status() == Status.CACHED).toList();
        assertThat(cached).isNotEmpty();
        Map<String, HistoryRecord> firstOk = all.stream().filter(h -> h.status() == Status.OK)
                .collect(Collectors.toMap(HistoryRecord::archId, h -> h, (a, b) -> a.round() <= b.round() ? a : b));
        for (HistoryRecord h : cached) {
            HistoryRecord original = firstOk.get(h.archId());
            assertThat(original).isNotNull();
            assertThat(original.round()).isLessThan(h.round());
            assertThat(h.reward()).isEqualTo(original.reward());
        }
        // nothing trained twice across rounds
        long trainedRows = all.stream().filter(h -> h.status() == Status.OK).count();
        assertThat(SyntheticTrainer.TRAINED.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) trainedRows);
    }

    @Test
    void searchesSharingATableKeepToTheirOwnPartitions(@TempDir Path dir) throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        new SearchJob(spark, config(dir, "search.id=a", "search.rounds=1"), fake).run();
        new SearchJob(spark, config(dir, "search.id=b", "search.rounds=1", "search.strategy=random"), fake).run();
        new SearchJob(spark, config(dir, "search.id=a", "search.rounds=1"), fake).run();
        HistoryTable table = new HistoryTable(spark, dir.resolve("history").toString());
        assertThat(table.rounds("a")).containsExactly(0, 1);
        assertThat(table.rounds("b")).containsExactly(0);
        assertThat(table.search("b").where("strategy = 'random'").count()).isEqualTo(3);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aTimeBudgetStopsTheRun(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=budget", "search.rounds=0", "search.time-budget=1ms");
        RoundEngine.Summary s = new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        assertThat(s.roundsRun()).isLessThanOrEqualTo(1);
    }

    @Test
    void switchingStrategyOfAnExistingSearchIsRefused(@TempDir Path dir) throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        new SearchJob(spark, config(dir, "search.id=s", "search.rounds=1"), fake).run();
        assertThatThrownBy(() -> new SearchJob(spark, config(dir, "search.id=s", "search.strategy=random"), fake).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the checkpoint is of strategy ppo but the configuration says random");
    }

    @Test
    @Slow
    void evolutionRecordsEachMutationsParentAndResumesExactlyAfterALostCheckpoint(@TempDir Path dir) throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        String[] evo = {"search.id=evo", "search.strategy=evolution", "evolution.population=4", "evolution.sample=2",
                "evolution.identity-probability=0.2"};
        SearchConfig whole = config(dir.resolve("whole"), concat(evo, "search.rounds=4"));
        new SearchJob(spark, whole, fake).run();

        SearchConfig two = config(dir.resolve("parts"), concat(evo, "search.rounds=2"));
        assertThat(inPartsWithALostCheckpoint(dir.resolve("parts"), fake, 2, 4, evo).firstRound()).isEqualTo(2);
        Path ckpt = dir.resolve("parts/ckpt/evo.ckpt");

        List<HistoryRecord> a = new HistoryTable(spark, whole.historyPath()).records("evo");
        List<HistoryRecord> b = new HistoryTable(spark, two.historyPath()).records("evo");
        assertThat(b).extracting(r -> r.round() + "/" + r.childIndex() + " " + r.archId() + " <- " + r.parentArchId())
                .isEqualTo(a.stream().map(r -> r.round() + "/" + r.childIndex() + " " + r.archId() + " <- "
                        + r.parentArchId()).toList());
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(Files.readAllBytes(dir.resolve("whole/ckpt/evo.ckpt")));
        assertControllerMatchesTable(whole, new HistoryTable(spark, whole.historyPath()));

        // the first 4 children are random; every later one names a parent trained in an earlier round
        assertThat(a).hasSize(12);
        assertThat(a.subList(0, 4)).extracting(HistoryRecord::parentArchId).containsOnlyNulls();
        assertThat(a.subList(4, 12)).allSatisfy(r -> {
            assertThat(r.strategy()).isEqualTo("evolution");
            assertThat(a.stream().filter(p -> p.round() < r.round()).map(HistoryRecord::archId))
                    .contains(r.parentArchId());
        });
        // a changed population size is refused like any strategy setting
        assertThatThrownBy(() -> new SearchJob(spark, config(dir.resolve("whole"),
                concat(evo, "search.rounds=1", "evolution.population=5")), fake).run())
                .hasMessageContaining("nasnet.evolution.population: 4 in the search, 5 in this run's configuration");
    }

    @Test
    @Slow
    void aWarmStartServesMeasuredArchitecturesFromTheTableAndStartsEvolutionFromTheBest(@TempDir Path dir)
            throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        new SearchJob(spark, config(dir, "search.id=old", "search.strategy=random"), fake).run();
        HistoryTable table = new HistoryTable(spark, dir.resolve("history").toString());
        List<HistoryRecord> old = table.records("old");
        List<String> best3 = old.stream().sorted(java.util.Comparator.comparingDouble(HistoryRecord::reward).reversed())
                .limit(3).map(HistoryRecord::archId).toList();

        // mostly identity mutations: most children are old's best architectures again
        SyntheticTrainer.TRAINED.clear();
        SearchConfig warm = config(dir, "search.id=new", "search.strategy=evolution", "search.rounds=1",
                "evolution.population=3", "evolution.sample=3", "evolution.identity-probability=0.9",
                "search.warm-start=[old]");
        new SearchJob(spark, warm, fake).run();
        List<HistoryRecord> rows = table.records("new");
        assertThat(rows).hasSize(3).allSatisfy(r -> {
            assertThat(r.searchId()).isEqualTo("new");
            assertThat(r.strategy()).isEqualTo("evolution");
            assertThat(best3).as("every parent is one of old's best three").contains(r.parentArchId());
        });
        List<HistoryRecord> served = rows.stream().filter(r -> r.status() == Status.CACHED).toList();
        assertThat(served).as("old's architectures served from the table").isNotEmpty().allSatisfy(r -> {
            HistoryRecord original = old.stream().filter(o -> o.archId().equals(r.archId())).findFirst().orElseThrow();
            assertThat(r.reward()).isEqualTo(original.reward());
            assertThat(r.error()).isEqualTo("reused from search old round " + original.round() + ", child "
                    + original.childIndex());
        });
        assertThat(SyntheticTrainer.TRAINED.values().stream().mapToInt(Integer::intValue).sum())
                .as("only the new architectures trained").isEqualTo(rows.size() - served.size());
        assertThat(table.records("old")).as("the warm start's rows unchanged").isEqualTo(old);

        // PPO learns from the rows first: the same seed, samples and rewards end in another state
        SearchConfig cold = config(dir, "search.id=cold", "search.rounds=1", "search.population=2");
        SearchConfig ppoWarm = config(dir, "search.id=ppo-warm", "search.rounds=1", "search.population=2",
                "search.warm-start=[old]");
        new SearchJob(spark, cold, fake).run();
        new SearchJob(spark, ppoWarm, fake).run();
        assertThat(Files.readAllBytes(dir.resolve("ckpt/ppo-warm.ckpt")))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("ckpt/cold.ckpt")));

        // a search the table does not hold, or holds at another budget, is refused naming what it holds
        assertThatThrownBy(() -> new SearchJob(spark, config(dir, "search.id=x", "search.warm-start=[olde]"), fake).run())
                .isInstanceOf(io.nasnet.config.ConfigException.class)
                .hasMessageContaining("holds no search 'olde'; it holds cold, new, old, ppo-warm");
        assertThatThrownBy(() -> new SearchJob(spark, config(dir, "search.id=y", "child.epochs=2",
                "search.warm-start=[old]"), fake).run())
                .hasMessageContaining("search 'old' trained its children at n=1,f=2,epochs=1,")
                .hasMessageContaining("the searches at this budget are none");
        assertThat(table.rounds("x")).isEmpty();
    }

    @Test
    @Slow
    void thePredictorRanksCandidatesOnceItHasRowsSaysWhenNotAndResumesExactly(@TempDir Path dir) throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        String[] evo = {"search.id=pred", "search.strategy=evolution", "evolution.population=4", "evolution.sample=2",
                "predictor.enabled=true", "predictor.min-rows=10", "predictor.candidates=3",
                "predictor.random-share=0.34"};
        SearchConfig whole = config(dir.resolve("whole"), concat(evo, "search.rounds=5"));
        new SearchJob(spark, whole, fake).run();
        SearchConfig three = config(dir.resolve("parts"), concat(evo, "search.rounds=3"));
        inPartsWithALostCheckpoint(dir.resolve("parts"), fake, 3, 5, evo);
        Path ckpt = dir.resolve("parts/ckpt/pred.ckpt");

        HistoryTable table = new HistoryTable(spark, whole.historyPath());
        List<HistoryRecord> a = table.records("pred");
        List<HistoryRecord> b = new HistoryTable(spark, three.historyPath()).records("pred");
        assertThat(b).extracting(r -> r.archId() + " " + r.status() + " " + r.predictedReward() + " " + r.predictor())
                .isEqualTo(a.stream().map(r -> r.archId() + " " + r.status() + " " + r.predictedReward() + " "
                        + r.predictor()).toList());
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(Files.readAllBytes(dir.resolve("whole/ckpt/pred.ckpt")));

        // rounds 0 to 3 had 0, 3, 6 and 9 rows: not used; round 4 ranked its candidates
        HistoryViews.register(spark, table);
        List<Row> rounds = spark.sql("SELECT round, predictor, predictor_tau FROM nas_rounds WHERE search_id = 'pred' "
                + "ORDER BY round").collectAsList();
        for (int r = 0; r < 4; r++) {
            assertThat(rounds.get(r).getString(1)).isEqualTo("not used: " + (3 * r) + " measured rows at this budget, "
                    + "fewer than predictor.min-rows = 10");
            assertThat(rounds.get(r).isNullAt(2)).isTrue();
        }
        assertThat(rounds.get(4).getString(1)).startsWith("gradient-boosted trees on 12 rows, held-out Kendall tau ");
        assertThat(rounds.get(4).getDouble(2)).isBetween(-1.0, 1.0);
        List<HistoryRecord> ranked = a.stream().filter(r -> r.round() == 4).toList();
        assertThat(ranked).extracting(HistoryRecord::predictedReward).doesNotContainNull();
        // two top predicted, then one at random from the rest
        assertThat(ranked.get(0).predictedReward()).isGreaterThanOrEqualTo(ranked.get(1).predictedReward());
        assertThat(ranked.get(1).predictedReward()).isGreaterThanOrEqualTo(ranked.get(2).predictedReward());
        assertThat(a.stream().filter(r -> r.round() < 4)).extracting(HistoryRecord::predictedReward).containsOnlyNulls();
        // the strategy learned from the trained children only: replayed with the same proposals it
        // would sample more candidates than the table holds, so check its population instead
        assertThat(io.nasnet.controller.Strategies.restore("evolution", new Encoding(whole.blocks()),
                new Checkpoints(whole.checkpointPath(), new org.apache.hadoop.conf.Configuration()).load("pred")
                        .orElseThrow().state()).summary()).startsWith("population 4 of 4");
    }

    /**
     * The search of {@code sets} in runs: {@code first} rounds; one more, whose checkpoint is then lost
     * (a driver killed after writing the round, before its checkpoint); then up to {@code total}
     * rounds, the lost round trained again first. Returns the last run's summary.
     */
    static RoundEngine.Summary inPartsWithALostCheckpoint(Path dir, TrainerFactory factory, int first, int total,
                                                        String... sets) throws Exception {
        new SearchJob(spark, config(dir, concat(sets, "search.rounds=" + first)), factory).run();
        SearchConfig c = config(dir, concat(sets, "search.rounds=1"));
        Path ckpt = Path.of(c.checkpointPath(), c.searchId() + ".ckpt");
        byte[] before = Files.readAllBytes(ckpt);
        new SearchJob(spark, c, factory).run();
        Files.write(ckpt, before);
        return new SearchJob(spark, config(dir, concat(sets, "search.rounds=" + (total - first))), factory).run();
    }

    static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
                .toArray(String[]::new);
    }

    @Test
    @Slow
    void aContinuedSearchRefusesChangedControllerSettingsNamingEachAndTheWayToStartFresh(@TempDir Path dir)
            throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        new SearchJob(spark, config(dir, "search.id=c", "search.rounds=1"), fake).run();
        byte[] before = java.nio.file.Files.readAllBytes(dir.resolve("ckpt/c.ckpt"));
        // a preset changes learning-rate, entropy-weight and minibatch; the user's own key changes hidden
        assertThatThrownBy(() -> new SearchJob(spark, config(dir, "search.id=c", "search.rounds=1",
                "controller.preset=paper", "controller.hidden=20"), fake).run())
                .isInstanceOf(io.nasnet.config.ConfigException.class)
                .hasMessageContaining("search 'c' cannot continue with changed settings")
                .hasMessageContaining("nasnet.controller.hidden: 16 in the search, 20 in this run's configuration; "
                        + "not applied: the strategy continues with its checkpoint's settings")
                .hasMessageContaining("nasnet.controller.learning-rate: 0.003 in the search, 3.5E-4")
                .hasMessageContaining("nasnet.controller.minibatch: 8 in the search, 20")
                .hasMessageNotContaining("nasnet.controller.ppo-epochs")
                .hasMessageContaining("--search-id c-2");
        // nothing of the refused run was written; the unchanged configuration continues the search
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve("ckpt/c.ckpt"))).isEqualTo(before);
        assertThat(new HistoryTable(spark, dir.resolve("history").toString()).rounds("c")).containsExactly(0);
        assertThat(new SearchJob(spark, config(dir, "search.id=c", "search.rounds=1"), fake).run().firstRound())
                .isEqualTo(1);
        // a new search id takes the new settings
        assertThat(new SearchJob(spark, config(dir, "search.id=c-2", "search.rounds=1", "controller.preset=paper"),
                fake).run().roundsRun()).isEqualTo(1);
    }

    @Test
    @Slow
    void aContinuedSearchRefusesAChangedChildBudgetNamingEachKey(@TempDir Path dir) throws Exception {
        TrainerFactory fake = SyntheticTrainer.factory(List.of());
        new SearchJob(spark, config(dir, "search.id=b", "search.rounds=1", "search.strategy=random"), fake).run();
        assertThatThrownBy(() -> new SearchJob(spark, config(dir, "search.id=b", "search.rounds=1",
                "search.strategy=random", "child.epochs=2", "child.batch-size=8"), fake).run())
                .isInstanceOf(io.nasnet.config.ConfigException.class)
                .hasMessageContaining("nasnet.child.epochs: 1 in the search, 2 in this run's configuration; not applied: "
                        + "a reward at another child budget is not comparable")
                .hasMessageContaining("nasnet.child.batch-size: 16 in the search, 8")
                .hasMessageNotContaining("child.f:")
                .hasMessageContaining("--search-id b-2");
        assertThatThrownBy(() -> new SearchJob(spark, config(dir, "search.id=b", "search.rounds=1",
                "search.strategy=random", "child.size-target=5000"), fake).run())
                .hasMessageContaining("nasnet.child.size-*: off in the search, params/5000^-0.07 in this run's configuration");
        // what does not change a reward may change between nights
        assertThat(new SearchJob(spark, config(dir, "search.id=b", "search.rounds=1", "search.strategy=random",
                "child.memory-limit=2G", "search.population=2"), fake).run().firstRound()).isEqualTo(1);
    }

    @Test
    @Slow
    void aChildTheEnvironmentFailsStopsTheRoundAndTheNextRunEndsAsAnUninterruptedSearch(@TempDir Path dir)
            throws Exception {
        SearchConfig c = config(dir.resolve("a"), "search.id=env", "search.rounds=1");
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        Path ckpt = dir.resolve("a/ckpt/env.ckpt");
        byte[] afterRound0 = Files.readAllBytes(ckpt);
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.environmentFailure(List.of(1))).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("search env round 1 stopped: child 1 of search env round 1 on executor host")
                .hasMessageContaining("missing dataset file /data/fashion/train-images-idx3-ubyte.gz")
                .hasMessageContaining("the next run re-runs it");
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        assertThat(Files.readAllBytes(ckpt)).as("the checkpoint still names round 0").isEqualTo(afterRound0);
        assertThat(table.rounds("env")).as("no row of the failed round").containsExactly(0);

        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        SearchConfig u = config(dir.resolve("u"), "search.id=env", "search.rounds=2");
        new SearchJob(spark, u, SyntheticTrainer.factory(List.of())).run();
        HistoryTable uninterrupted = new HistoryTable(spark, u.historyPath());
        assertThat(table.records("env").stream().map(h -> h.round() + "/" + h.childIndex() + " " + h.archId() + " "
                + h.reward() + " " + h.status()).toList())
                .isEqualTo(uninterrupted.records("env").stream().map(h -> h.round() + "/" + h.childIndex() + " "
                        + h.archId() + " " + h.reward() + " " + h.status()).toList());
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(Files.readAllBytes(dir.resolve("u/ckpt/env.ckpt")));
    }

    @Test
    @Slow
    void aDatasetGoneOnTheExecutorsAfterPreflightStopsTheRoundAndTheNextRunEndsAsAnUninterruptedSearch(
            @TempDir Path dir) throws Exception {
        Path own = TinyData.write(dir.resolve("data"), 120, 40);
        Files.createDirectories(dir.resolve("data-away"));
        SearchConfig c = config(dir.resolve("a"), "search.id=gone", "search.rounds=1", "data.path=\"" + own + "\"");
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        Path ckpt = dir.resolve("a/ckpt/gone.ckpt");
        byte[] afterRound0 = Files.readAllBytes(ckpt);
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.datasetVanishes(own)).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("search gone round 1 stopped: child ")
                .hasMessageContaining("of search gone round 1 on executor host")
                .hasMessageContaining("DatasetException: no dataset in " + own)
                .hasMessageContaining("the next run re-runs it");
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        assertThat(Files.readAllBytes(ckpt)).as("the checkpoint still names round 0").isEqualTo(afterRound0);
        assertThat(table.rounds("gone")).as("no row of the failed round").containsExactly(0);

        try (var away = Files.list(dir.resolve("data-away"))) {
            for (Path f : away.toList()) {
                Files.move(f, own.resolve(f.getFileName()));
            }
        }
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        SearchConfig u = config(dir.resolve("u"), "search.id=gone", "search.rounds=2", "data.path=\"" + own + "\"");
        new SearchJob(spark, u, SyntheticTrainer.factory(List.of())).run();
        assertThat(table.records("gone").stream().map(h -> h.round() + "/" + h.childIndex() + " " + h.archId() + " "
                + h.reward() + " " + h.status() + " " + h.dataChecksum()).toList())
                .isEqualTo(new HistoryTable(spark, u.historyPath()).records("gone").stream().map(h -> h.round() + "/"
                        + h.childIndex() + " " + h.archId() + " " + h.reward() + " " + h.status() + " "
                        + h.dataChecksum()).toList());
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(Files.readAllBytes(dir.resolve("u/ckpt/gone.ckpt")));
    }

    @Test
    void aChildThatDivergesAndOneWhoseNetworkCannotBeBuiltAreRewardZeroAndTheControllerLearns(@TempDir Path dir)
            throws Exception {
        SearchConfig c = config(dir, "search.id=arch", "search.rounds=1", "search.max-failed-fraction=1");
        new SearchJob(spark, c, ArchitectureFailures.factory()).run();
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        List<HistoryRecord> rows = table.read("arch", 0);
        assertThat(rows).extracting(HistoryRecord::status).containsExactly(Status.DIVERGED, Status.FAILED, Status.OK);
        assertThat(rows.get(0).error()).startsWith("loss became ");
        assertThat(rows.get(1).error()).contains("cannot be built");
        assertThat(rows).extracting(HistoryRecord::reward).satisfies(r -> {
            assertThat(r.get(0)).isZero();
            assertThat(r.get(1)).isZero();
            assertThat(r.get(2)).isPositive();
        });
        assertThat(dir.resolve("ckpt/arch.ckpt")).as("the round completed").exists();
        assertControllerMatchesTable(c, table);
        assertThat(new Checkpoints(c.checkpointPath(), spark.sparkContext().hadoopConfiguration()).load("arch")
                .orElseThrow().state()).as("the controller learned")
                .isNotEqualTo(Strategies.create(c.strategy(), new Encoding(c.blocks()), c.strategies(), c.seed())
                        .checkpoint());
    }

    @Test
    void aRoundWithTooManyFailuresStopsTheSearchBeforeTheControllerLearns(@TempDir Path dir) throws Exception {
        SearchConfig c = config(dir, "search.id=failing", "search.rounds=1", "search.max-failed-fraction=0.5");
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of(0, 2))).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("round 0 stopped: 2 of 3 children failed or diverged")
                .hasMessageContaining("synthetic failure of child 0");
        assertThat(dir.resolve("ckpt/failing.ckpt")).as("nothing learned").doesNotExist();
        assertThat(new HistoryTable(spark, c.historyPath()).read("failing", 0)).extracting(HistoryRecord::status)
                .containsExactly(Status.FAILED, Status.OK, Status.FAILED);
        // the next run re-runs the round; with failures allowed it counts, and the controller learns
        SearchConfig allowed = config(dir, "search.id=failing", "search.rounds=1", "search.max-failed-fraction=1");
        assertThat(new SearchJob(spark, allowed, SyntheticTrainer.factory(List.of(0, 2))).run().firstRound()).isZero();
        assertThat(dir.resolve("ckpt/failing.ckpt")).exists();
        assertThat(new HistoryTable(spark, c.historyPath()).search("failing").count()).isEqualTo(3);
        // one failure in three is within the fraction: the round counts
        SearchConfig d = config(dir.resolve("d"), "search.id=within", "search.rounds=1", "search.max-failed-fraction=0.5");
        assertThat(new SearchJob(spark, d, SyntheticTrainer.factory(List.of(1))).run().roundsRun()).isEqualTo(1);
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.max-failed-fraction=1.5")))
                .hasMessageContaining("nasnet.search.max-failed-fraction");
    }

    @Test
    void aCorruptDatasetStopsTheSearchBeforeAnyChildTrains(@TempDir Path dir) throws Exception {
        Path corrupt = TinyData.write(dir.resolve("data"), 120, 40);
        Path images = corrupt.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length / 2));
        SearchConfig c = config(dir, "search.id=corrupt", "data.path=\"" + corrupt + "\"");
        int before = SyntheticTrainer.TRAINED.size();
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run())
                .isInstanceOf(ConfigException.class).hasMessageContaining("nasnet.data.path")
                .hasMessageContaining("train-images-idx3-ubyte.gz").hasMessageContaining("truncated");
        assertThat(SyntheticTrainer.TRAINED).as("no child trained").hasSize(before);
        assertThat(dir.resolve("history")).doesNotExist();
        assertThat(dir.resolve("ckpt/corrupt.ckpt")).doesNotExist();
    }

    @Test
    void missingDatasetAndUnwritableTableFailBeforeAnySparkJob(@TempDir Path dir) throws Exception {
        SearchConfig noData = config(dir, "data.path=\"" + dir.resolve("nothing") + "\"");
        assertThatThrownBy(() -> Preflight.check(noData, new org.apache.hadoop.conf.Configuration()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nasnet.data.path").hasMessageContaining("nothing");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        SearchConfig badTable = config(dir, "history.path=\"" + file.resolve("history") + "\"");
        assertThatThrownBy(() -> Preflight.check(badTable, new org.apache.hadoop.conf.Configuration()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nasnet.history.path");
        assertThat(PolicyGradient.Settings.paper().hidden()).isEqualTo(100);
    }

    private static String log(Path dir) {
        try {
            Path log = dir.resolve("driver.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
