package io.nasnet.history;

import io.nasnet.child.ChildMeasures;
import io.nasnet.child.ChildResult;
import io.nasnet.child.Status;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the history table: a child's result with what the search knew about it. Its columns,
 * the schema ({@link #SCHEMA}) and how rows of older tables read are listed once, in {@link Columns}.
 *
 * @param logProb  the controller's log-probability of the architecture when it was sampled (PPO's reference)
 * @param budget   the training settings that decide the reward; results are reused only at equal budget
 * @param configHash hash of the whole configuration of the run
 * @param attempt  Spark's attempt number of the task that trained the child (0 unless a task was lost and re-run)
 * @param slots    the task slots the round's Spark job had (executor cores / spark.task.cpus): the
 *                 denominator of the round's executor utilization in {@code nas_rounds}
 * @param dataChecksum a checksum of the dataset's files, checked by the driver before the run
 * @param parentArchId the architecture this child was mutated from (evolution); null when sampled from scratch
 * @param accuracy the validation accuracy the reward was made of (the reward itself without a size-aware reward)
 * @param rewardSize the size a size-aware reward weighed (0 without one): reward = accuracy x (size / target)^w
 * @param predictedReward what the round's predictor predicted for it; null when no predictor ranked the round
 * @param predictorTau the round's predictor's held-out Kendall tau; null when none was fitted
 * @param predictor what the round's predictor did ("gradient-boosted trees on N rows, ..." or "not used: ..."); null when off
 * @param rung     the highest rung of successive halving the child reached (0 without rungs); its reward is
 *                 the one measured there
 * @param rungs    the search's rungs (1 without): a child with {@code rung = rungs - 1} trained the whole proxy
 * @param rungRewards the reward at each rung it reached, lowest first (empty without rungs)
 * @param childSeconds the seconds its training took on the executors, every rung's task together: what
 *                 it cost (0 when CACHED)
 * @param measures every reward definition's measurement and the zero-cost scores (NaN, null in the
 *                 table, where not measured: rows of tables written before them)
 */
public record HistoryRecord(String searchId, int round, int childIndex, String archId, String genotype,
                            String strategy, Status status, double reward, double logProb,
                            List<Double> validationAccuracy, double trainLoss, long params, long multAdds, int epochs,
                            double imagesPerSecond, double trainSeconds, long peakRssBytes, String host, String gpu,
                            long seed, String budget, String configHash, String version, Instant startedAt,
                            Instant finishedAt, String error, int attempt, int slots, String dataChecksum,
                            String parentArchId, double accuracy, long rewardSize, Double predictedReward,
                            Double predictorTau, String predictor, int rung, int rungs, List<Double> rungRewards,
                            double childSeconds, ChildMeasures measures)
        implements Serializable {

    public HistoryRecord {
        rungRewards = List.copyOf(rungRewards);
        java.util.Objects.requireNonNull(measures, "measures");
    }

    /** Whether the child trained the whole proxy: the last rung, or a search without rungs. */
    public boolean wholeProxy() {
        return rung == rungs - 1;
    }

    /**
     * This row with some cells changed, by column name and as the table holds them ({@link Columns}):
     * how every copy of a row is made, so that a new column needs no change here.
     */
    public HistoryRecord with(Map<String, ?> cells) {
        return Columns.record(new Columns.Cells(toRow(), cells));
    }

    /**
     * A row of these cells, by column name; every other column reads as it does in a row of a table
     * written before the column (zero for a number, null otherwise, or what its entry in
     * {@link Columns} says).
     */
    public static HistoryRecord of(Map<String, ?> cells) {
        return Columns.record(new Columns.Cells(null, cells));
    }

    /** This row as the child's row at rung {@code rung} of {@code rungs}, its rewards so far and cost. */
    public HistoryRecord atRung(int rung, int rungs, List<Double> rungRewards, double childSeconds) {
        return with(Map.of("rung", rung, "rungs", rungs, "rung_rewards", rungRewards, "child_seconds", childSeconds));
    }

    /**
     * This row with what its round knew when it was appended: the evaluator's task slots, the
     * dataset's checksum and, when a predictor screened the round, its prediction, tau and note.
     */
    public HistoryRecord inRound(int slots, String dataChecksum, Double predictedReward, Double predictorTau,
                                 String predictor) {
        return with(cells("slots", slots, "data_checksum", dataChecksum, "predicted_reward", predictedReward,
                "predictor_tau", predictorTau, "predictor", predictor));
    }

    /**
     * The strategy column of rows whose architectures were given rather than sampled (the proxy-fidelity
     * study's): no controller learned from them, and no comparison of strategies counts them.
     */
    public static final String GIVEN = "given";

    /** The table's schema, from its columns ({@link Columns}). */
    public static final StructType SCHEMA = Columns.SCHEMA;

    /** A trained (or failed) child's row. */
    public static HistoryRecord of(ChildResult r, String archId, String strategy, double logProb, String parentArchId,
                                   String budget, String configHash, Instant start, Instant end, int attempt) {
        Map<String, Object> c = spec(r.spec().searchId(), r.spec().round(), r.spec().index(), archId,
                r.spec().genotype(), strategy, logProb, parentArchId, r.spec().seed(), budget, configHash);
        c.putAll(cells("status", r.status(), "reward", r.reward(), "val_accuracy", r.validationAccuracy(),
                "train_loss", r.trainLoss(), "params", r.params(), "mult_adds", r.multAdds(), "epochs", r.epochs(),
                "images_per_sec", r.imagesPerSecond(), "train_seconds", r.trainSeconds(),
                "peak_rss_bytes", r.peakRssBytes(), "host", r.host(), "gpu", r.gpu(), "accuracy", r.accuracy(),
                "reward_size", r.rewardSize(), "attempt", attempt, "data_checksum", "", "error", r.error(),
                "started_at", start, "finished_at", end));
        c.putAll(measures(r.measures()));
        return of(c);
    }

    /** The cells that say which child of which search a row is, and under what settings it was asked for. */
    public static Map<String, Object> spec(String searchId, int round, int childIndex, String archId, String genotype,
                                           String strategy, double logProb, String parentArchId, long seed,
                                           String budget, String configHash) {
        return cells("search_id", searchId, "round", round, "child_index", childIndex, "arch_id", archId,
                "genotype", genotype, "strategy", strategy, "log_prob", logProb, "parent_arch_id", parentArchId,
                "seed", seed, "budget", budget, "config_hash", configHash, "version", projectVersion());
    }

    /** A child's measurements as cells (NaN: not measured). */
    public static Map<String, Object> measures(ChildMeasures m) {
        return cells("accuracy_mean", m.accuracyMean(), "validation_loss", m.validationLoss(),
                "train_loss_area", m.trainLossArea(), "naswot", m.zeroCost().naswot(), "synflow", m.zeroCost().synflow(),
                "grad_norm", m.zeroCost().gradNorm(), "zero_cost_seconds", m.zeroCost().seconds());
    }

    /** Cells from column names and values in turn; a value may be null (the column's missing value). */
    public static Map<String, Object> cells(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("cells come as name, value pairs; got " + namesAndValues.length + " items");
        }
        Map<String, Object> c = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            c.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return c;
    }

    /**
     * The same architecture's earlier result, reused as CACHED by child {@code childIndex} of
     * {@code round} of search {@code searchId} (this search's, or a warm start's), whose strategy
     * sampled it.
     */
    public HistoryRecord cachedAs(String searchId, int round, int childIndex, String strategy, double logProb,
                                  String parent, long seed, String configHash, Instant now) {
        String from = (searchId.equals(this.searchId) ? "" : "search " + this.searchId + " ") + "round " + this.round
                + ", child " + this.childIndex;
        Map<String, Object> c = spec(searchId, round, childIndex, archId, genotype, strategy, logProb, parent, seed,
                budget, configHash);
        c.putAll(cells("status", Status.CACHED, "images_per_sec", 0, "train_seconds", 0, "peak_rss_bytes", 0,
                "host", "", "gpu", "", "started_at", now, "finished_at", now, "error", "reused from " + from,
                "attempt", 0, "slots", 0, "data_checksum", "", "child_seconds", 0, "predicted_reward", null,
                "predictor_tau", null, "predictor", null));
        return with(c);
    }

    /** The record as a row of {@link #SCHEMA}, carrying the schema (so {@link #fromRow} reads it back anywhere). */
    public Row toRow() {
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(Columns.values(this), SCHEMA);
    }

    /**
     * A stored row as a record; a column its table lacks (written by an earlier release) reads as the
     * column says ({@link Columns}).
     */
    public static HistoryRecord fromRow(Row row) {
        return Columns.record(new Columns.Cells(row, Map.of()));
    }

    /**
     * The best trained evaluation among some rows: highest reward of a child that trained (status
     * OK) through the whole proxy (a child stopped at a lower rung was measured at less), the earliest
     * on ties; the same order as the {@code nas_best} view.
     */
    public static Optional<HistoryRecord> best(Collection<HistoryRecord> rows) {
        return rows.stream().filter(r -> r.status().trained() && r.wholeProxy())
                .min(Comparator.comparingDouble(HistoryRecord::reward).reversed()
                        .thenComparingInt(HistoryRecord::round).thenComparingInt(HistoryRecord::childIndex));
    }

    /** The project version, from the jar manifest (or "dev" when run from classes). */
    public static String projectVersion() {
        String v = HistoryRecord.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
