package io.nasnet.search;

import io.nasnet.child.ChildSpec;
import io.nasnet.child.Failures;
import io.nasnet.child.Rungs;
import io.nasnet.config.ConfigException;
import io.nasnet.config.SearchConfig;
import io.nasnet.controller.Sample;
import io.nasnet.controller.Scored;
import io.nasnet.controller.Strategies;
import io.nasnet.controller.Strategy;
import io.nasnet.data.Datasets;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.surrogate.Predictor;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The search's round loop, run on the driver. Each round: sample a population from the strategy,
 * reuse the reward of architectures already trained at this budget (CACHED), train the rest as one
 * Spark job that writes its rows straight into the history table, read the round back from the
 * table, learn from it, and checkpoint the strategy. With rungs ({@link Rungs}) a round's children
 * train in successive halving, one Spark job per rung. A run continues its search from the last
 * round complete in both table and checkpoint; an interrupted round is re-run and overwrites
 * itself (a rung a child finished is read back, not trained again). A run stops after its rounds,
 * or when its time budget or the search's child-seconds are spent; with {@code history.compact} it
 * then rewrites the search's round files into one, still holding the lease.
 */
public final class SearchJob {

    private static final Logger LOG = LoggerFactory.getLogger(SearchJob.class);

    /**
     * What a run did; {@code complete} when the search has all its {@code search.max-rounds}, or has
     * spent its {@code search.child-seconds}.
     */
    public record Summary(String searchId, int firstRound, int roundsRun, String historyPath,
                          Optional<HistoryRecord> best, boolean complete) {
    }

    private final SparkSession spark;
    private final SearchConfig config;
    private final Evaluator evaluator;
    private final HistoryTable history;
    private final Checkpoints checkpoints;
    private final Encoding encoding;
    private List<Predictor.Example> examples = List.of();
    private final String configHash;
    private final Clock clock;
    private Lease lease;
    private HistoryCatalog catalog;

    /** A search whose children train on Spark's executors with the trainers {@code factory} makes. */
    public SearchJob(SparkSession spark, SearchConfig config, TrainerFactory factory) {
        this(spark, config, factory, Clock.systemUTC());
    }

    /**
     * The same, its time (the lease's TTL, {@code search.time-budget}, the rows' timestamps) read from
     * {@code clock}: a test moves time instead of waiting for it.
     */
    public SearchJob(SparkSession spark, SearchConfig config, TrainerFactory factory, Clock clock) {
        this(spark, config, new SparkEvaluator(spark, config.data(), config.child(), factory, clock), clock);
    }

    /** A search whose populations {@code evaluator} trains. */
    public SearchJob(SparkSession spark, SearchConfig config, Evaluator evaluator) {
        this(spark, config, evaluator, Clock.systemUTC());
    }

    private SearchJob(SparkSession spark, SearchConfig config, Evaluator evaluator, Clock clock) {
        this.clock = clock;
        this.spark = spark;
        this.config = config;
        this.evaluator = evaluator;
        try {
            this.history = HistoryTable.forWriting(spark, config.historyPath(), config.historyFormat());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        this.checkpoints = new Checkpoints(config.checkpointPath(), spark.sparkContext().hadoopConfiguration());
        this.encoding = new Encoding(config.blocks());
        this.configHash = config.hash();
    }

    /**
     * Checks what can be checked before any Spark job: the whole dataset reads and is well formed,
     * and the table and checkpoint folders are writable. Returns the dataset's checksum.
     */
    public static String preflight(SearchConfig config, org.apache.hadoop.conf.Configuration hadoop) {
        requireWritable("nasnet.history.path", config.historyPath(), hadoop);
        requireWritable("nasnet.checkpoint.path", config.checkpointPath(), hadoop);
        String checksum;
        try {
            checksum = Datasets.check(config.data());
        } catch (RuntimeException e) {
            throw new ConfigException("nasnet.data.path: " + e.getMessage(), e);
        }
        if (config.rungs().on()) {
            try {
                config.rungs().boundaries(config.child().steps(Datasets.cached(config.data()).train().size()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("nasnet." + e.getMessage(), e);
            }
        }
        return checksum;
    }

    private static void requireWritable(String key, String dir, org.apache.hadoop.conf.Configuration hadoop) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(hadoop);
            Path probe = new Path(p.getParent() == null ? p : p.getParent(), ".nasnet-write-probe-" + System.nanoTime());
            fs.mkdirs(probe.getParent());
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key + ": cannot write under " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** The seed of child {@code index} of {@code round} in a search seeded {@code seed}. */
    public static long childSeed(long seed, int round, int index) {
        return seed * 1_000_003L + round * 1_009L + index;
    }

    public Summary run() throws IOException {
        String dataChecksum = preflight(config, spark.sparkContext().hadoopConfiguration());
        try (Lease lease = Lease.acquire(config.checkpointPath(), config.searchId(),
                spark.sparkContext().applicationId(), config.leaseTtl(), spark.sparkContext().hadoopConfiguration(),
                clock)) {
            this.lease = lease;
            this.catalog = openCatalog(spark, config);
            Summary summary = run(dataChecksum);
            if (config.compactHistory() && summary.roundsRun() > 0) {
                HistoryTable.Compaction c = history.compact(config.searchId());
                LOG.info("search {}: compacted its {} files into {} (history.compact)", config.searchId(),
                        c.filesBefore(), c.filesAfter());
                refreshCatalog();
            }
            return summary;
        } finally {
            this.lease = null;
            this.catalog = null;
        }
    }

    /**
     * The catalog {@code history.catalog} names, opened (its history table created or refreshed) before
     * a run trains anything; null when the setting is empty. A catalog that cannot hold the tables is a
     * configuration error.
     */
    public static HistoryCatalog openCatalog(SparkSession spark, SearchConfig config) {
        if (config.historyCatalog().isEmpty()) {
            return null;
        }
        try {
            return HistoryCatalog.open(spark, config.historyCatalog(),
                    HistoryTable.forWriting(spark, config.historyPath(), config.historyFormat()));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private void refreshCatalog() {
        if (catalog != null) {
            catalog.refresh(history, config.searchId());
        }
    }

    private Summary run(String dataChecksum) throws IOException {
        String id = config.searchId();
        SearchCheck.Diagnosis check = SearchCheck.run(spark, config, true, clock);
        if (!check.blocking().isEmpty()) {
            throw new IllegalStateException("search '" + id + "' cannot continue: " + check.blocking().size()
                    + " problem(s) with its table and checkpoint (nasnet check --search-id " + id + " prints them "
                    + "again):\n  - " + String.join("\n  - ", check.blocking().stream().map(Object::toString).toList()));
        }
        check.problems().forEach(p -> LOG.warn("search {}: {}", id, p));
        List<HistoryRecord> warmRows = warmStartRows();
        Optional<Checkpoints.Saved> saved = checkpoints.load(id);
        Strategy strategy;
        int next;
        if (saved.isPresent()) {
            Checkpoints.Saved s = saved.get();
            try {
                strategy = Strategies.restore(s.strategy(), encoding, s.state());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("search '" + id + "' cannot continue from its checkpoint "
                        + checkpoints.file(id) + ": " + e.getMessage(), e);
            }
            ChangedSettings.refuse(id, ChangedSettings.of(config, strategy,
                    history.read(id, s.round()).stream().map(HistoryRecord::budget).findFirst().orElse(null)));
            next = s.round() + 1;
            LOG.info("search {}: continuing after round {} ({})", id, s.round(), strategy.summary());
        } else {
            strategy = Strategies.create(config.strategy(), encoding, config.strategies(), config.seed());
            next = 0;
            LOG.info("search {}: new, strategy {}, population {}", id, config.strategy(), config.population());
            if (!warmRows.isEmpty()) {
                strategy.warmStart(warmRows.stream().map(h -> new Scored(encoding.encode(Genotype.parse(h.genotype())),
                        h.reward(), h.logProb())).toList());
                LOG.info("search {}: warm start from {} rows of {} ({})", id, warmRows.size(), config.warmStart(),
                        strategy.summary());
            }
        }
        Instant deadline = config.timeBudget().isZero() ? Instant.MAX : clock.instant().plus(config.timeBudget());
        int first = next;
        double bestSoFar = bestReward(id);
        // architectures trained at this budget, read once, then kept up to date from each round's rows
        // (of the rounds before this run's first: a round re-run after a lost checkpoint trains its children again)
        int resumeAt = next;
        Map<String, HistoryRecord> trained = new HashMap<>();
        history.trained(id, config.child().budgetKey()).forEach((arch, h) -> {
            if (h.round() < resumeAt) {
                trained.put(arch, h);
            }
        });
        warmRows.stream().filter(h -> h.status().trained() && h.wholeProxy())
                .forEach(h -> trained.putIfAbsent(h.archId(), h));
        // what the predictor learns from: the warm starts' rows, then this search's, in table order
        examples = new ArrayList<>();
        if (config.predictor().enabled()) {
            warmRows.stream().filter(HistoryRecord::wholeProxy).forEach(h -> examples.add(example(h)));
            history.records(id).stream().filter(h -> h.round() < resumeAt && h.budget().equals(config.child().budgetKey())
                    && h.status().ranOnExecutor() && h.wholeProxy()).forEach(h -> examples.add(example(h)));
        }
        double spent = history.records(id).stream().filter(h -> h.round() < resumeAt)
                .mapToDouble(HistoryRecord::childSeconds).sum();
        double childBudget = config.childSecondsBudget();
        while ((config.rounds() == 0 || next < first + config.rounds())
                && (config.maxRounds() == 0 || next < config.maxRounds()) && clock.instant().isBefore(deadline)
                && (childBudget == 0 || spent < childBudget)) {
            RoundEnd end = round(strategy, next, bestSoFar, trained, dataChecksum);
            bestSoFar = Math.max(bestSoFar, end.best());
            spent += end.childSeconds();
            next++;
        }
        if (!clock.instant().isBefore(deadline)) {
            LOG.info("search {}: time budget of {} spent after round {}", id, config.timeBudget(), next - 1);
        }
        boolean spentAll = childBudget > 0 && spent >= childBudget;
        if (spentAll) {
            LOG.info(String.format(Locale.ROOT, "search %s: complete, its budget of %.1f child-seconds is spent (%.1f) "
                    + "after round %d", id, childBudget, spent, next - 1));
        }
        boolean complete = config.maxRounds() > 0 && next >= config.maxRounds() || spentAll;
        if (complete && !spentAll) {
            LOG.info("search {}: complete, all {} rounds done", id, config.maxRounds());
        }
        return new Summary(id, first, next - first, history.path(), best(id), complete);
    }

    /**
     * The evaluated rows (trained, failed or diverged; not the reused) of the warm-start searches at this search's child budget, in table order;
     * a search the table does not hold, or holds at another budget only, is an error naming what it holds.
     */
    private List<HistoryRecord> warmStartRows() {
        if (config.warmStart().isEmpty()) {
            return List.of();
        }
        String budget = config.child().budgetKey();
        Map<String, String> atBudget = history.searchesAt(budget);
        List<HistoryRecord> rows = new ArrayList<>();
        for (String from : config.warmStart()) {
            if (from.equals(config.searchId())) {
                throw new ConfigException("nasnet.search.warm-start: '" + from + "' is this search itself");
            }
            List<HistoryRecord> its = history.records(from);
            if (its.isEmpty()) {
                throw new ConfigException("nasnet.search.warm-start: the history table at " + history.path()
                        + " holds no search '" + from + "'; it holds " + describe(history.strategies().keySet()));
            }
            if (!atBudget.containsKey(from)) {
                throw new ConfigException("nasnet.search.warm-start: search '" + from + "' trained its children at "
                        + its.get(0).budget() + ", not at this search's " + budget + "; the searches at this budget are "
                        + describe(atBudget.keySet()));
            }
            its.stream().filter(h -> h.budget().equals(budget) && h.status().ranOnExecutor()).forEach(rows::add);
        }
        return rows;
    }

    private static String describe(java.util.Collection<String> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    private static Predictor.Example example(HistoryRecord h) {
        return new Predictor.Example(Genotype.parse(h.genotype()), h.reward());
    }

    /**
     * A round's children: the strategy's samples, or, with the predictor on and fitted, the top
     * predicted of k times as many candidates and a random share of the rest; with what the
     * predictor did, for the round's rows.
     */
    record Proposal(List<Sample> samples, Predictor.Fit fit, List<Double> predicted) {

        Dataset<Row> annotate(Dataset<Row> rows) {
            if (fit == null) {
                return rows;
            }
            org.apache.spark.sql.Column byChild = functions.lit(null).cast("double");
            if (predicted != null) {
                org.apache.spark.sql.Column c = null;
                for (int i = 0; i < predicted.size(); i++) {
                    c = (c == null ? functions.when(functions.col("child_index").equalTo(i), predicted.get(i))
                            : c.when(functions.col("child_index").equalTo(i), predicted.get(i)));
                }
                byChild = c;
            }
            return rows.withColumn("predictor", functions.lit(fit.note()))
                    .withColumn("predictor_tau", Double.isNaN(fit.tau()) ? functions.lit(null).cast("double")
                            : functions.lit(fit.tau()))
                    .withColumn("predicted_reward", byChild);
        }
    }

    private Proposal propose(Strategy strategy, int round) {
        int n = config.population();
        Predictor.Settings p = config.predictor();
        if (!p.enabled()) {
            return new Proposal(strategy.sample(n), null, null);
        }
        long seed = childSeed(config.seed(), round, 0) ^ 0x5DEECE66DL;
        Predictor.Fit fit = Predictor.fit(spark, examples, p.minRows(), seed);
        LOG.info("search {} round {}: predictor {}", config.searchId(), round, fit.note());
        if (fit.model().isEmpty()) {
            return new Proposal(strategy.sample(n), fit, null);
        }
        Predictor model = fit.model().get();
        List<Sample> candidates = strategy.sample(n * p.candidates());
        List<Integer> chosen = model.choose(candidates.stream().map(Sample::genotype).toList(), n, p.randomShare(), seed);
        return new Proposal(chosen.stream().map(candidates::get).toList(), fit,
                chosen.stream().map(i -> model.predict(candidates.get(i).genotype())).toList());
    }

    /** What a round ended with: its best reward and its children's cost. */
    private record RoundEnd(double best, double childSeconds) {
    }

    /** One round. */
    private RoundEnd round(Strategy strategy, int round, double bestSoFar, Map<String, HistoryRecord> trained,
                         String dataChecksum) throws IOException {
        long t0 = System.nanoTime();
        String id = config.searchId();
        String budget = config.child().budgetKey();
        Proposal proposal = propose(strategy, round);
        List<Sample> samples = proposal.samples();
        List<ChildTask> toTrain = new ArrayList<>();
        List<HistoryRecord> cached = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Genotype g = s.genotype();
            long seed = childSeed(config.seed(), round, i);
            HistoryRecord earlier = trained.get(g.id());
            if (earlier != null) {
                cached.add(earlier.cachedAs(id, round, i, strategy.name(), s.logProb(), s.parent(), seed, configHash, now));
            } else {
                toTrain.add(new ChildTask(new ChildSpec(id, round, i, g.text(), seed), g.id(), strategy.name(),
                        s.logProb(), s.parent(), budget, configHash, null));
            }
        }
        List<HistoryRecord> rows = new ArrayList<>();
        try {
            rows.addAll(config.rungs().on() ? trainInRungs(round, toTrain) : evaluator.evaluate(toTrain));
        } catch (Exception e) {
            throw stopped(round, e);
        }
        rows.addAll(cached);
        append(history, rows, evaluator.slots(), dataChecksum, proposal::annotate);
        refreshCatalog();

        List<HistoryRecord> back = history.read(id, round);
        if (back.size() != samples.size()) {
            throw new IllegalStateException("round " + round + " of search " + id + ": " + samples.size()
                    + " children sampled but " + back.size() + " rows in the history table");
        }
        for (HistoryRecord h : back) {
            if (h.status().trained() && h.wholeProxy()) {
                trained.putIfAbsent(h.archId(), h);
            }
            if (config.predictor().enabled() && h.status().ranOnExecutor() && h.wholeProxy()) {
                examples.add(example(h));
            }
        }
        long failed = back.stream().filter(h -> h.status().failed()).count();
        if (failed > config.maxFailedFraction() * back.size()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "search %s round %d stopped: %d of %d children "
                            + "failed or diverged, more than search.max-failed-fraction = %.2f allows (first error: %s). "
                            + "The rows are in the table; the controller did not learn from them and the next run re-runs "
                            + "the round. Check the child settings and the dataset, or raise the fraction.", id, round,
                    failed, back.size(), config.maxFailedFraction(), back.stream()
                            .filter(h -> h.status().failed())
                            .map(h -> h.status() + " " + h.error()).findFirst().orElse("")));
        }
        List<Scored> scored = back.stream()
                .map(h -> new Scored(encoding.encode(Genotype.parse(h.genotype())), h.reward(), h.logProb()))
                .toList();
        strategy.learn(scored);
        if (!lease.held()) {
            throw new IllegalStateException("search " + id + " round " + round + ": another driver took over the lease "
                    + Lease.file(config.checkpointPath(), id) + "; this run stops without its checkpoint");
        }
        checkpoints.save(id, new Checkpoints.Saved(round, strategy.name(), strategy.checkpoint()));
        if (config.rungs().on()) {
            Path rungs = RungFiles.roundDir(config.checkpointPath(), id, round);
            rungs.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(rungs, true);
        }

        long hits = back.stream().filter(h -> !h.status().ranOnExecutor()).count();
        double mean = back.stream().mapToDouble(HistoryRecord::reward).average().orElse(0);
        double best = back.stream().mapToDouble(HistoryRecord::reward).max().orElse(0);
        double seconds = back.stream().mapToDouble(HistoryRecord::childSeconds).sum();
        LOG.info(String.format(Locale.ROOT, "search %s round %d: %d done, %d failed, %d cached; reward mean %.4f, "
                        + "best %.4f, best so far %.4f; %.1f child-seconds, %.1f s", id, round,
                back.size() - failed - hits, failed, hits, mean, best, Math.max(best, bestSoFar), seconds,
                (System.nanoTime() - t0) / 1e9));
        return new RoundEnd(best, seconds);
    }

    /**
     * Successive halving over the children a round trains ({@link Rungs}): one Spark job per rung, its
     * children from the saved state of the rung below; after each, the best of the rung go on
     * ({@link #promote}). Returns each child's row at the highest rung it reached, with its reward at
     * every rung and the child-seconds of all of them.
     */
    private List<HistoryRecord> trainInRungs(int round, List<ChildTask> tasks) throws IOException {
        Rungs rungs = config.rungs();
        String dir = io.nasnet.data.AtomicFile.qualified(RungFiles.roundDir(config.checkpointPath(), config.searchId(),
                round), spark.sparkContext().hadoopConfiguration()).toString();
        int[] counts = rungs.counts(tasks.size());
        Map<Integer, List<HistoryRecord>> byChild = new java.util.TreeMap<>();
        List<ChildTask> at = tasks;
        for (int r = 0; r < rungs.rungs() && !at.isEmpty(); r++) {
            ChildTask.Rung rung = new ChildTask.Rung(r, rungs.rungs(), rungs.eta(), dir);
            List<HistoryRecord> got = evaluator.evaluate(at.stream().map(t -> t.at(rung)).toList());
            got.forEach(h -> byChild.computeIfAbsent(h.childIndex(), k -> new ArrayList<>()).add(h));
            if (r < rungs.top()) {
                List<Integer> up = promote(got, counts[r + 1]);
                LOG.info("search {} round {} rung {}: {} trained, {} go on: children {}", config.searchId(), round, r,
                        got.size(), up.size(), up);
                at = tasks.stream().filter(t -> up.contains(t.spec().index())).toList();
            }
        }
        List<HistoryRecord> rows = new ArrayList<>();
        for (List<HistoryRecord> its : byChild.values()) {
            HistoryRecord last = its.get(its.size() - 1);
            rows.add(last.atRung(last.rung(), last.rungs(), its.stream().map(HistoryRecord::reward).toList(),
                    its.stream().mapToDouble(HistoryRecord::childSeconds).sum()).startedAt(its.get(0).startedAt()));
        }
        return rows;
    }

    /**
     * Appends a round's rows to the table with the columns every round carries: the task slots the
     * evaluator had (for {@code nas_rounds.utilization}) and the dataset's checksum; {@code annotate}
     * adds what only some rounds know (a search's predictor). Every writer of rounds goes through here.
     */
    public static void append(HistoryTable history, List<HistoryRecord> rows, int slots, String dataChecksum,
                              java.util.function.UnaryOperator<Dataset<Row>> annotate) {
        history.write(annotate.apply(history.rows(rows).withColumn("slots", functions.lit(slots))
                .withColumn("data_checksum", functions.lit(dataChecksum))));
    }

    /**
     * Trains tasks a study gives (not a strategy's samples) at {@code proxy}'s budget as one round of
     * their search, and appends the round: what a search does with a round, without a strategy.
     */
    public static void trainAndAppend(SparkSession spark, SearchConfig proxy, TrainerFactory trainers,
                                      List<ChildTask> tasks) {
        String checksum = preflight(proxy, spark.sparkContext().hadoopConfiguration());
        SparkEvaluator evaluator = new SparkEvaluator(spark, proxy.data(), proxy.child(), trainers);
        append(HistoryTable.forWriting(spark, proxy.historyPath(), proxy.historyFormat()), evaluator.evaluate(tasks), evaluator.slots(), checksum,
                rows -> rows);
    }

    /**
     * The children of a rung that go on to the next: the {@code k} of highest reward among those that
     * trained (a failed or diverged child never goes on), the lower child index first on equal rewards.
     */
    public static List<Integer> promote(List<HistoryRecord> rung, int k) {
        return rung.stream().filter(h -> h.status().trained())
                .sorted(java.util.Comparator.comparingDouble(HistoryRecord::reward).reversed()
                        .thenComparingInt(HistoryRecord::childIndex))
                .limit(k).map(HistoryRecord::childIndex).sorted().toList();
    }

    /**
     * A round whose job failed, a child that could not be trained for a reason not its own
     * ({@link Failures}) after Spark's retries: the round stops before anything of it is recorded
     * or learned, and the run fails with one message naming the child, its host and the cause.
     */
    private IllegalStateException stopped(int round, Exception e) {
        String cause = null;
        for (Throwable c = e; c != null && cause == null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Failures.EnvironmentException) {
                cause = c.getMessage();
            }
        }
        if (cause == null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("EnvironmentException: (child [^\\n]*)")
                    .matcher(String.valueOf(e.getMessage()));
            cause = m.find() ? m.group(1) : String.valueOf(e.getMessage());
        }
        return new IllegalStateException("search " + config.searchId() + " round " + round + " stopped: " + cause
                + ". Nothing of the round was recorded and the controller did not learn from it; the next run "
                + "re-runs it.", e);
    }

    private double bestReward(String id) {
        return best(id).map(HistoryRecord::reward).orElse(0.0);
    }

    private Optional<HistoryRecord> best(String id) {
        return HistoryRecord.best(history.search(id).collectAsList().stream().map(HistoryRecord::fromRow).toList());
    }
}
