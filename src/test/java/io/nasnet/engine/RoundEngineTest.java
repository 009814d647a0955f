package io.nasnet.engine;

import io.nasnet.child.Rungs;
import io.nasnet.child.Status;
import io.nasnet.config.ConfigException;
import io.nasnet.search.SearchConfig;
import io.nasnet.controller.Strategies;
import io.nasnet.controller.Strategy;
import io.nasnet.history.HistoryRecord;
import io.nasnet.space.Block;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The round loop with no Spark: a search entirely in memory, its rewards a function of the genotype
 * (the share of separable convolutions in its cells), so that every figure below is known.
 */
class RoundEngineTest {

    private static final Encoding SPACE = new Encoding(5);
    private static final Strategies.Settings STRATEGIES = SearchConfig.load(null, List.of()).strategies();

    /** The share of a genotype's ops that are separable convolutions: 0 to 1, the truth of the tests. */
    static double separable(Genotype g) {
        List<Op> ops = java.util.stream.Stream.of(g.normal(), g.reduction())
                .flatMap(c -> c.blocks().stream()).flatMap((Block b) -> java.util.stream.Stream.of(b.op1(), b.op2()))
                .toList();
        return ops.stream().filter(Op::isSeparable).count() / (double) ops.size();
    }

    private static RoundEngine.Settings settings(String id, int population, Rungs rungs) {
        return new RoundEngine.Settings(id, 7, population, "proxy-1", "hash", 0.5, rungs, SPACE, "sum");
    }

    private static Supplier<Strategy> strategy(String name) {
        return () -> Strategies.create(name, SPACE, STRATEGIES, 7);
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aSearchRunsInMemoryAndEveryRowIsTheObjectivesValue() throws Exception {
        InMemory.History history = new InMemory.History();
        InMemory.States states = new InMemory.States();
        AtomicInteger calls = new AtomicInteger();
        ObjectiveEvaluator evaluator = new ObjectiveEvaluator((g, task) -> {
            calls.incrementAndGet();
            return new ObjectiveEvaluator.Outcome(separable(g), 2.0);
        });
        long t0 = System.nanoTime();
        RoundEngine.Summary s = new RoundEngine(settings("mem", 8, Rungs.OFF), strategy("evolution"), evaluator, history,
                states, CLOCK).limit(Limit.rounds(10)).run();
        double ms = (System.nanoTime() - t0) / 1e6;

        List<HistoryRecord> rows = history.records("mem");
        assertThat(s.complete()).isTrue();
        assertThat(s.roundsRun()).isEqualTo(10);
        assertThat(rows).hasSize(80);
        assertThat(rows).allSatisfy(h -> assertThat(h.reward()).isEqualTo(separable(Genotype.parse(h.genotype()))));
        assertThat(rows.stream().filter(h -> h.status() == Status.OK).count())
                .as("only architectures not seen before are evaluated").isEqualTo(calls.get());
        assertThat(rows.stream().filter(h -> h.status() == Status.CACHED))
                .allSatisfy(h -> assertThat(h.childSeconds()).isZero());
        assertThat(s.best().orElseThrow().reward())
                .isEqualTo(rows.stream().mapToDouble(HistoryRecord::reward).max().orElseThrow());
        assertThat(rows).allSatisfy(h -> {
            assertThat(h.slots()).isEqualTo(1);
            assertThat(h.dataChecksum()).isEqualTo("sum");
        });
        assertThat(states.load("mem").orElseThrow().round()).isEqualTo(9);
        assertThat(states.load("mem").orElseThrow().space()).isEqualTo(SPACE.fingerprint());
        assertThat(ms).as("an in-memory search of 80 children takes milliseconds, not seconds").isLessThan(2_000);
    }

    @Test
    void aSearchStoppedByItsRunsLimitContinuesAsIfUninterrupted() throws Exception {
        ObjectiveEvaluator evaluator = new ObjectiveEvaluator((g, t) -> new ObjectiveEvaluator.Outcome(separable(g), 1));
        InMemory.History once = new InMemory.History();
        new RoundEngine(settings("s", 4, Rungs.OFF), strategy("ppo"), evaluator, once, new InMemory.States(), CLOCK)
                .limit(Limit.rounds(6)).run();

        InMemory.History twice = new InMemory.History();
        InMemory.States states = new InMemory.States();
        Limit limit = Limit.anyOf(List.of(Limit.rounds(6), Limit.roundsThisRun(4)));
        RoundEngine.Summary first = new RoundEngine(settings("s", 4, Rungs.OFF), strategy("ppo"), evaluator, twice,
                states, CLOCK).limit(limit).run();
        RoundEngine.Summary second = new RoundEngine(settings("s", 4, Rungs.OFF), strategy("ppo"), evaluator, twice,
                states, CLOCK).limit(limit).run();

        assertThat(first.complete()).isFalse();
        assertThat(second.firstRound()).isEqualTo(4);
        assertThat(second.roundsRun()).isEqualTo(2);
        assertThat(second.complete()).isTrue();
        assertThat(twice.records("s").stream().map(HistoryRecord::genotype).toList())
                .isEqualTo(once.records("s").stream().map(HistoryRecord::genotype).toList());
    }

    @Test
    void limitsOnChildrenAndChildSecondsCompleteTheSearchTimeOnlyPausesIt() throws Exception {
        ObjectiveEvaluator evaluator = new ObjectiveEvaluator((g, t) -> new ObjectiveEvaluator.Outcome(separable(g), 3));
        RoundEngine.Summary children = new RoundEngine(settings("c", 4, Rungs.OFF), strategy("random"), evaluator,
                new InMemory.History(), new InMemory.States(), CLOCK).limit(Limit.children(10)).run();
        assertThat(children.roundsRun()).as("4, 8, then 12 >= 10 children").isEqualTo(3);
        assertThat(children.complete()).isTrue();

        RoundEngine.Summary seconds = new RoundEngine(settings("t", 4, Rungs.OFF), strategy("random"), evaluator,
                new InMemory.History(), new InMemory.States(), CLOCK).limit(Limit.childSeconds(30)).run();
        assertThat(seconds.roundsRun()).as("12, 24, then 36 >= 30 child-seconds").isEqualTo(3);

        Instant[] now = {Instant.parse("2026-12-07T00:00:00Z")};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        ObjectiveEvaluator slow = new ObjectiveEvaluator((g, t) -> {
            now[0] = now[0].plusSeconds(60);
            return new ObjectiveEvaluator.Outcome(separable(g), 60);
        });
        RoundEngine.Summary timed = new RoundEngine(settings("d", 2, Rungs.OFF), strategy("random"), slow,
                new InMemory.History(), new InMemory.States(), moving)
                .limit(Limit.anyOf(List.of(Limit.time(Duration.ofMinutes(5), moving), Limit.rounds(100)))).run();
        assertThat(timed.roundsRun()).as("2 minutes a round: past 5 minutes after the third").isEqualTo(3);
        assertThat(timed.complete()).isFalse();
    }

    @Test
    void rungsPromoteTheBestAndEachChildKeepsItsRewardAtEveryRung() throws Exception {
        // the objective at rung r of 3: the truth scaled by (r + 1) / 3, so every rung ranks alike
        ObjectiveEvaluator evaluator = new ObjectiveEvaluator((g, t) -> new ObjectiveEvaluator.Outcome(
                separable(g) * (t.rung().index() + 1) / 3.0, 1));
        InMemory.History history = new InMemory.History();
        new RoundEngine(settings("r", 9, new Rungs(3, 3)), strategy("random"), evaluator, history,
                new InMemory.States(), CLOCK).limit(Limit.rounds(1)).run();
        List<HistoryRecord> rows = history.round("r", 0);
        assertThat(rows).hasSize(9);
        assertThat(rows.stream().filter(HistoryRecord::wholeProxy)).hasSize(1);
        HistoryRecord top = rows.stream().filter(HistoryRecord::wholeProxy).findFirst().orElseThrow();
        assertThat(top.reward()).isCloseTo(rows.stream().mapToDouble(h -> separable(Genotype.parse(h.genotype())))
                .max().orElseThrow(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(top.rungRewards()).hasSize(3);
        assertThat(top.childSeconds()).as("one child-second per rung it trained").isEqualTo(3);
    }

    @Test
    void aCheckpointOfAnotherSearchSpaceIsRefusedNamingBoth() throws Exception {
        InMemory.States states = new InMemory.States();
        String other = SPACE.fingerprint().replace("identity,conv1x3_3x1", "conv1x3_3x1,identity");
        states.save("old", new StrategyStates.Saved(3, "random", other, new byte[0]));
        ObjectiveEvaluator evaluator = new ObjectiveEvaluator((g, t) -> new ObjectiveEvaluator.Outcome(1, 1));
        RoundEngine engine = new RoundEngine(settings("old", 2, Rungs.OFF), strategy("random"), evaluator,
                new InMemory.History(), states, CLOCK).limit(Limit.rounds(5));
        assertThatThrownBy(engine::run).isInstanceOf(ConfigException.class)
                .hasMessageContaining(other).hasMessageContaining(SPACE.fingerprint())
                .hasMessageContaining("start a new search id");
        assertThat(new Encoding(4).fingerprint()).as("B is part of the space").isNotEqualTo(SPACE.fingerprint());
    }
}
