package io.nasnet.search;

import io.nasnet.config.ConfigException;
import io.nasnet.controller.Strategies;
import io.nasnet.engine.Evaluator;
import io.nasnet.engine.Limit;
import io.nasnet.engine.RoundEngine;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.surrogate.Predictor;
import io.nasnet.space.Encoding;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A search as a Spark application: the {@link RoundEngine} with its seams filled by the cluster.
 * Children train as Spark tasks on the executors ({@link SparkEvaluator}), rounds go to the history
 * table ({@link TableHistory}), the strategy's state to checkpoint files under the search's
 * {@link Lease}. Before the first round it checks the dataset and folders ({@link Preflight}) and the
 * table and checkpoint ({@link SearchCheck}); after the last, with {@code history.compact}, it
 * rewrites the search's round files into one, still holding the lease.
 */
public final class SearchJob {

    private static final Logger LOG = LoggerFactory.getLogger(SearchJob.class);

    private final SparkSession spark;
    private final SearchConfig config;
    private final Evaluator evaluator;
    private final HistoryTable history;
    private final Clock clock;

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

    private SearchJob(SparkSession spark, SearchConfig config, Evaluator evaluator, Clock clock) {
        this.clock = clock;
        this.spark = spark;
        this.config = config;
        this.evaluator = evaluator;
        this.history = TableHistory.table(spark, config);
    }

    public RoundEngine.Summary run() throws IOException {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String dataChecksum = Preflight.check(config, hadoop);
        String id = config.searchId();
        try (Lease lease = Lease.acquire(config.checkpointPath(), id, spark.sparkContext().applicationId(),
                config.leaseTtl(), hadoop, clock)) {
            TableHistory rounds = TableHistory.open(spark, config, clock.instant());
            SearchCheck.Diagnosis check = SearchCheck.run(spark, config, true, clock);
            if (!check.blocking().isEmpty()) {
                throw new IllegalStateException("search '" + id + "' cannot continue: " + check.blocking().size()
                        + " problem(s) with its table and checkpoint (nasnet check --search-id " + id + " prints them "
                        + "again):\n  - " + String.join("\n  - ", check.blocking().stream().map(Object::toString).toList()));
            }
            check.problems().forEach(p -> LOG.warn("search {}: {}", id, p));
            Encoding encoding = new Encoding(config.blocks());
            RoundEngine engine = new RoundEngine(new RoundEngine.Settings(id, config.seed(), config.population(),
                    config.child().budgetKey(), config.hash(), config.maxFailedFraction(), config.rungs(), encoding,
                    dataChecksum),
                    () -> Strategies.create(config.strategy(), encoding, config.strategies(), config.seed()),
                    evaluator, rounds, new Checkpoints(config.checkpointPath(), hadoop).guardedBy(lease), clock)
                    .limit(Limit.anyOf(List.of(Limit.rounds(config.maxRounds()),
                            Limit.childSeconds(config.childSecondsBudget()), Limit.roundsThisRun(config.rounds()),
                            Limit.time(config.timeBudget(), clock))))
                    .warmStart(warmStartRows())
                    .onResume((strategy, budget) -> ChangedSettings.refuse(id, ChangedSettings.of(config, strategy, budget)));
            if (config.predictor().enabled()) {
                engine.screen(Predictor.screen(spark, config.predictor()));
            }
            RoundEngine.Summary summary = engine.run();
            if (config.compactHistory() && summary.roundsRun() > 0) {
                HistoryTable.Compaction c = history.compact(id);
                LOG.info("search {}: compacted its {} files into {} (history.compact)", id, c.filesBefore(),
                        c.filesAfter());
                rounds.refreshCatalog(id);
            }
            return summary;
        }
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

    private static String describe(Collection<String> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }
}
