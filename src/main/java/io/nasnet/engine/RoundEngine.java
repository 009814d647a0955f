package io.nasnet.engine;

import io.nasnet.child.ChildSpec;
import io.nasnet.child.Failures;
import io.nasnet.child.Rungs;
import io.nasnet.config.ConfigException;
import io.nasnet.controller.Sample;
import io.nasnet.controller.Scored;
import io.nasnet.controller.Strategies;
import io.nasnet.controller.Strategy;
import io.nasnet.history.HistoryRecord;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The search's round loop. Each round: propose a population (the strategy's samples, or, with a
 * {@link Screen}, the screen's pick among more of them), reuse the reward of architectures already
 * evaluated at this budget (CACHED), evaluate the rest (with rungs, in successive halving), append
 * the round, read it back, learn from it, and save the strategy's state. A run continues its search
 * after the last round saved in both history and state; an interrupted round is run again and
 * replaces itself. A run stops at its {@link Limit}.
 */
public final class RoundEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RoundEngine.class);

    /**
     * What the loop needs of a search's configuration: its id and seed, the population of a round, the
     * child budget that makes rewards comparable, the hash of the whole configuration (for the rows),
     * the share of failed children a round tolerates, the rungs, the space's encoding, and the
     * checksum of the dataset the children train on.
     */
    public record Settings(String searchId, long seed, int population, String budget, String configHash,
                           double maxFailedFraction, Rungs rungs, Encoding encoding, String dataChecksum) {
    }

    /**
     * What a run did; {@code complete} when the search has all it will get (its rounds, its
     * child-seconds, its children), not when only the run's own limit was reached.
     */
    public record Summary(String searchId, int firstRound, int roundsRun, String historyPath,
                          Optional<HistoryRecord> best, boolean complete) {
    }

    private final Settings settings;
    private final Evaluator evaluator;
    private final RoundHistory history;
    private final StrategyStates states;
    private final Supplier<Strategy> fresh;
    private final Clock clock;
    private List<HistoryRecord> warmRows = List.of();
    private Screen screen;
    private BiConsumer<Strategy, String> resumeCheck = (s, b) -> { };
    private Limit limit = Limit.NONE;

    /** A search whose strategy, when it starts, is {@code fresh}'s. */
    public RoundEngine(Settings settings, Supplier<Strategy> fresh, Evaluator evaluator, RoundHistory history,
                       StrategyStates states, Clock clock) {
        this.settings = settings;
        this.fresh = fresh;
        this.evaluator = evaluator;
        this.history = history;
        this.states = states;
        this.clock = clock;
    }

    /** Stops at {@code limit}. */
    public RoundEngine limit(Limit limit) {
        this.limit = limit;
        return this;
    }

    /** A new search's strategy learns from these rows of earlier searches first, and reuses their rewards. */
    public RoundEngine warmStart(List<HistoryRecord> rows) {
        this.warmRows = List.copyOf(rows);
        return this;
    }

    /** Each round's children are {@code screen}'s pick once it is fitted. */
    public RoundEngine screen(Screen screen) {
        this.screen = screen;
        return this;
    }

    /**
     * Called with the restored strategy and the budget of the last saved round when a search continues:
     * throws when the configuration changed what the saved state depends on.
     */
    public RoundEngine onResume(BiConsumer<Strategy, String> check) {
        this.resumeCheck = check;
        return this;
    }

    /** The seed of child {@code index} of {@code round} in a search seeded {@code seed}. */
    public static long childSeed(long seed, int round, int index) {
        return seed * 1_000_003L + round * 1_009L + index;
    }

    public Summary run() throws IOException {
        String id = settings.searchId();
        Encoding encoding = settings.encoding();
        Optional<StrategyStates.Saved> saved = states.load(id);
        Strategy strategy;
        int next;
        if (saved.isPresent()) {
            StrategyStates.Saved s = saved.get();
            if (s.space() != null && !s.space().equals(encoding.fingerprint())) {
                throw new ConfigException("search '" + id + "' cannot continue from its checkpoint " + states.where(id)
                        + ": it was saved in the search space " + s.space() + ", this release searches "
                        + encoding.fingerprint() + "; its decisions would mean other cells. Continue it with the "
                        + "release that saved it, or start a new search id");
            }
            try {
                strategy = Strategies.restore(s.strategy(), encoding, s.state());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("search '" + id + "' cannot continue from its checkpoint "
                        + states.where(id) + ": " + e.getMessage(), e);
            }
            resumeCheck.accept(strategy, history.round(id, s.round()).stream().map(HistoryRecord::budget)
                    .findFirst().orElse(null));
            next = s.round() + 1;
            LOG.info("search {}: continuing after round {} ({})", id, s.round(), strategy.summary());
        } else {
            strategy = fresh.get();
            next = 0;
            LOG.info("search {}: new, strategy {}, population {}", id, strategy.name(), settings.population());
            if (!warmRows.isEmpty()) {
                strategy.warmStart(warmRows.stream().map(h -> scored(encoding, h)).toList());
                LOG.info("search {}: warm start from {} rows ({})", id, warmRows.size(), strategy.summary());
            }
        }
        int first = next;
        // the rounds before this run's first (a round re-run after a lost checkpoint is evaluated again)
        List<HistoryRecord> rows = new ArrayList<>(history.records(id).stream().filter(h -> h.round() < first).toList());
        Map<String, HistoryRecord> trained = new HashMap<>();
        rows.stream().filter(h -> h.status().trained() && h.wholeProxy() && h.budget().equals(settings.budget()))
                .forEach(h -> trained.putIfAbsent(h.archId(), h));
        warmRows.stream().filter(h -> h.status().trained() && h.wholeProxy())
                .forEach(h -> trained.putIfAbsent(h.archId(), h));
        List<Screen.Example> examples = new ArrayList<>();
        if (screen != null) {
            warmRows.stream().filter(HistoryRecord::wholeProxy).forEach(h -> examples.add(example(h)));
            rows.stream().filter(h -> h.budget().equals(settings.budget()) && h.status().ranOnExecutor()
                    && h.wholeProxy()).forEach(h -> examples.add(example(h)));
        }
        Optional<Limit.Stop> stop;
        while ((stop = limit.reached(progress(rows, next, next - first))).isEmpty()) {
            rows.addAll(round(strategy, next, trained, examples, rows));
            next++;
        }
        LOG.info("search {}: {} after round {}", id, stop.get().why(), next - 1);
        return new Summary(id, first, next - first, history.where(), HistoryRecord.best(rows), stop.get().complete());
    }

    private static Limit.Progress progress(List<HistoryRecord> rows, int next, int run) {
        return new Limit.Progress(next, run, rows.stream().mapToDouble(HistoryRecord::childSeconds).sum(),
                rows.stream().filter(h -> h.status().ranOnExecutor()).count());
    }

    private static Scored scored(Encoding encoding, HistoryRecord h) {
        return new Scored(encoding.encode(Genotype.parse(h.genotype())), h.reward(), h.logProb());
    }

    private static Screen.Example example(HistoryRecord h) {
        return new Screen.Example(Genotype.parse(h.genotype()), h.reward());
    }

    /** A round's children, with what the screen did (null fit: no screen). */
    private record Proposal(List<Sample> samples, Screen.Fit fit, List<Double> predicted) {

        HistoryRecord annotate(HistoryRecord h, int slots, String checksum) {
            if (fit == null) {
                return h.inRound(slots, checksum, null, null, null);
            }
            return h.inRound(slots, checksum, predicted == null ? null : predicted.get(h.childIndex()),
                    Double.isNaN(fit.tau()) ? null : fit.tau(), fit.note());
        }
    }

    private Proposal propose(Strategy strategy, int round, List<Screen.Example> examples) {
        int n = settings.population();
        if (screen == null) {
            return new Proposal(strategy.sample(n), null, null);
        }
        long seed = childSeed(settings.seed(), round, 0) ^ 0x5DEECE66DL;
        Screen.Fit fit = screen.fit(List.copyOf(examples), seed);
        LOG.info("search {} round {}: predictor {}", settings.searchId(), round, fit.note());
        if (fit.model().isEmpty()) {
            return new Proposal(strategy.sample(n), fit, null);
        }
        Screen.Model model = fit.model().get();
        List<Sample> candidates = strategy.sample(n * screen.candidates());
        List<Integer> chosen = model.choose(candidates.stream().map(Sample::genotype).toList(), n, screen.randomShare(), seed);
        return new Proposal(chosen.stream().map(candidates::get).toList(), fit,
                chosen.stream().map(i -> model.predict(candidates.get(i).genotype())).toList());
    }

    /** One round; returns its rows as read back. */
    private List<HistoryRecord> round(Strategy strategy, int round, Map<String, HistoryRecord> trained,
                                     List<Screen.Example> examples, List<HistoryRecord> before) throws IOException {
        long t0 = System.nanoTime();
        String id = settings.searchId();
        Proposal proposal = propose(strategy, round, examples);
        List<Sample> samples = proposal.samples();
        List<ChildTask> toTrain = new ArrayList<>();
        List<HistoryRecord> cached = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Genotype g = s.genotype();
            long seed = childSeed(settings.seed(), round, i);
            HistoryRecord earlier = trained.get(g.id());
            if (earlier != null) {
                cached.add(earlier.cachedAs(id, round, i, strategy.name(), s.logProb(), s.parent(), seed,
                        settings.configHash(), clock.instant()));
            } else {
                toTrain.add(new ChildTask(new ChildSpec(id, round, i, g.text(), seed), g.id(), strategy.name(),
                        s.logProb(), s.parent(), settings.budget(), settings.configHash(), null));
            }
        }
        List<HistoryRecord> rows = new ArrayList<>();
        try {
            rows.addAll(settings.rungs().on() ? trainInRungs(round, toTrain) : evaluator.evaluate(toTrain));
        } catch (RuntimeException e) {
            throw stopped(round, e);
        }
        rows.addAll(cached);
        int slots = evaluator.slots();
        history.append(rows.stream().map(h -> proposal.annotate(h, slots, settings.dataChecksum())).toList());

        List<HistoryRecord> back = history.round(id, round);
        if (back.size() != samples.size()) {
            throw new IllegalStateException("round " + round + " of search " + id + ": " + samples.size()
                    + " children sampled but " + back.size() + " rows in " + history.where());
        }
        for (HistoryRecord h : back) {
            if (h.status().trained() && h.wholeProxy()) {
                trained.putIfAbsent(h.archId(), h);
            }
            if (screen != null && h.status().ranOnExecutor() && h.wholeProxy()) {
                examples.add(example(h));
            }
        }
        long failed = back.stream().filter(h -> h.status().failed()).count();
        if (failed > settings.maxFailedFraction() * back.size()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "search %s round %d stopped: %d of %d children "
                            + "failed or diverged, more than search.max-failed-fraction = %.2f allows (first error: %s). "
                            + "The rows are in the table; the controller did not learn from them and the next run re-runs "
                            + "the round. Check the child settings and the dataset, or raise the fraction.", id, round,
                    failed, back.size(), settings.maxFailedFraction(), back.stream()
                            .filter(h -> h.status().failed())
                            .map(h -> h.status() + " " + h.error()).findFirst().orElse("")));
        }
        strategy.learn(back.stream().map(h -> scored(settings.encoding(), h)).toList());
        states.save(id, new StrategyStates.Saved(round, strategy.name(), settings.encoding().fingerprint(),
                strategy.checkpoint()));

        long hits = back.stream().filter(h -> !h.status().ranOnExecutor()).count();
        double mean = back.stream().mapToDouble(HistoryRecord::reward).average().orElse(0);
        double best = back.stream().mapToDouble(HistoryRecord::reward).max().orElse(0);
        double bestSoFar = Math.max(best, HistoryRecord.best(before).map(HistoryRecord::reward).orElse(0.0));
        double seconds = back.stream().mapToDouble(HistoryRecord::childSeconds).sum();
        LOG.info(String.format(Locale.ROOT, "search %s round %d: %d done, %d failed, %d cached; reward mean %.4f, "
                        + "best %.4f, best so far %.4f; %.1f child-seconds, %.1f s", id, round,
                back.size() - failed - hits, failed, hits, mean, best, bestSoFar, seconds,
                (System.nanoTime() - t0) / 1e9));
        return back;
    }

    /**
     * Successive halving over the children a round trains ({@link Rungs}): one evaluation per rung, its
     * children from the saved state of the rung below; after each, the best of the rung go on
     * ({@link #promote}). Returns each child's row at the highest rung it reached, with its reward at
     * every rung and the child-seconds of all of them.
     */
    private List<HistoryRecord> trainInRungs(int round, List<ChildTask> tasks) {
        Rungs rungs = settings.rungs();
        String dir = states.rungDir(settings.searchId(), round);
        int[] counts = rungs.counts(tasks.size());
        Map<Integer, List<HistoryRecord>> byChild = new TreeMap<>();
        List<ChildTask> at = tasks;
        for (int r = 0; r < rungs.rungs() && !at.isEmpty(); r++) {
            ChildTask.Rung rung = new ChildTask.Rung(r, rungs.rungs(), rungs.eta(), dir);
            List<HistoryRecord> got = evaluator.evaluate(at.stream().map(t -> t.at(rung)).toList());
            got.forEach(h -> byChild.computeIfAbsent(h.childIndex(), k -> new ArrayList<>()).add(h));
            if (r < rungs.top()) {
                List<Integer> up = promote(got, counts[r + 1]);
                LOG.info("search {} round {} rung {}: {} trained, {} go on: children {}", settings.searchId(), round, r,
                        got.size(), up.size(), up);
                at = tasks.stream().filter(t -> up.contains(t.spec().index())).toList();
            }
        }
        List<HistoryRecord> rows = new ArrayList<>();
        for (List<HistoryRecord> its : byChild.values()) {
            HistoryRecord last = its.get(its.size() - 1);
            rows.add(last.with(HistoryRecord.cells("rung_rewards", its.stream().map(HistoryRecord::reward).toList(),
                    "child_seconds", its.stream().mapToDouble(HistoryRecord::childSeconds).sum(),
                    "started_at", its.get(0).startedAt())));
        }
        return rows;
    }

    /**
     * The children of a rung that go on to the next: the {@code k} of highest reward among those that
     * trained (a failed or diverged child never goes on), the lower child index first on equal rewards.
     */
    public static List<Integer> promote(List<HistoryRecord> rung, int k) {
        return rung.stream().filter(h -> h.status().trained())
                .sorted(Comparator.comparingDouble(HistoryRecord::reward).reversed()
                        .thenComparingInt(HistoryRecord::childIndex))
                .limit(k).map(HistoryRecord::childIndex).sorted().toList();
    }

    /**
     * A round whose evaluation failed for a reason not a child's own ({@link Failures}): the round stops
     * before anything of it is recorded or learned, with one message naming the child and the cause.
     */
    private IllegalStateException stopped(int round, RuntimeException e) {
        String cause = null;
        for (Throwable c = e; c != null && cause == null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Failures.EnvironmentException) {
                cause = c.getMessage();
            }
        }
        if (cause == null) {
            cause = String.valueOf(e.getMessage());
        }
        return new IllegalStateException("search " + settings.searchId() + " round " + round + " stopped: " + cause
                + ". Nothing of the round was recorded and the controller did not learn from it; the next run "
                + "re-runs it.", e);
    }
}
