package io.nasnet.history;

import io.nasnet.child.ChildMeasures;
import io.nasnet.child.ChildResult;
import io.nasnet.child.ZeroCost;
import io.nasnet.child.Status;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
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

    /** A row of a search without rungs, its cost the task's time from start to finish, nothing measured besides the accuracy. */
    public HistoryRecord(String searchId, int round, int childIndex, String archId, String genotype,
                         String strategy, Status status, double reward, double logProb,
                         List<Double> validationAccuracy, double trainLoss, long params, long multAdds, int epochs,
                         double imagesPerSecond, double trainSeconds, long peakRssBytes, String host, String gpu,
                         long seed, String budget, String configHash, String version, Instant startedAt,
                         Instant finishedAt, String error, int attempt, int slots, String dataChecksum,
                         String parentArchId, double accuracy, long rewardSize, Double predictedReward,
                         Double predictorTau, String predictor) {
        this(searchId, round, childIndex, archId, genotype, strategy, status, reward, logProb, validationAccuracy,
                trainLoss, params, multAdds, epochs, imagesPerSecond, trainSeconds, peakRssBytes, host, gpu, seed, budget,
                configHash, version, startedAt, finishedAt, error, attempt, slots, dataChecksum, parentArchId, accuracy,
                rewardSize, predictedReward, predictorTau, predictor, 0, 1, List.of(),
                status.ranOnExecutor() ? seconds(startedAt, finishedAt) : 0, ChildMeasures.NONE);
    }

    private static double seconds(Instant start, Instant end) {
        return start == null || end == null ? 0 : java.time.Duration.between(start, end).toNanos() / 1e9;
    }

    /** Whether the child trained the whole proxy: the last rung, or a search without rungs. */
    public boolean wholeProxy() {
        return rung == rungs - 1;
    }

    /** This row as the child's row at rung {@code rung} of {@code rungs}, its rewards so far and cost. */
    public HistoryRecord atRung(int rung, int rungs, List<Double> rungRewards, double childSeconds) {
        return new HistoryRecord(searchId, round, childIndex, archId, genotype, strategy, status, reward, logProb,
                validationAccuracy, trainLoss, params, multAdds, epochs, imagesPerSecond, trainSeconds, peakRssBytes, host,
                gpu, seed, budget, configHash, version, startedAt, finishedAt, error, attempt, slots, dataChecksum,
                parentArchId, accuracy, rewardSize, predictedReward, predictorTau, predictor, rung, rungs, rungRewards,
                childSeconds, measures);
    }

    /** This row with other measurements (the rows of a table written before a column are without it). */
    public HistoryRecord withMeasures(ChildMeasures m) {
        return new HistoryRecord(searchId, round, childIndex, archId, genotype, strategy, status, reward, logProb,
                validationAccuracy, trainLoss, params, multAdds, epochs, imagesPerSecond, trainSeconds, peakRssBytes, host,
                gpu, seed, budget, configHash, version, startedAt, finishedAt, error, attempt, slots, dataChecksum,
                parentArchId, accuracy, rewardSize, predictedReward, predictorTau, predictor, rung, rungs, rungRewards,
                childSeconds, m);
    }

    /**
     * This row with what its round knew when it was appended: the evaluator's task slots, the
     * dataset's checksum and, when a predictor screened the round, its prediction, tau and note.
     */
    public HistoryRecord inRound(int slots, String dataChecksum, Double predictedReward, Double predictorTau,
                                 String predictor) {
        return new HistoryRecord(searchId, round, childIndex, archId, genotype, strategy, status, reward, logProb,
                validationAccuracy, trainLoss, params, multAdds, epochs, imagesPerSecond, trainSeconds, peakRssBytes, host,
                gpu, seed, budget, configHash, version, startedAt, finishedAt, error, attempt, slots, dataChecksum,
                parentArchId, accuracy, rewardSize, predictedReward, predictorTau, predictor, rung, rungs, rungRewards,
                childSeconds, measures);
    }

    /** This row starting at {@code start} (a child's first rung), as it ended. */
    public HistoryRecord startedAt(Instant start) {
        return new HistoryRecord(searchId, round, childIndex, archId, genotype, strategy, status, reward, logProb,
                validationAccuracy, trainLoss, params, multAdds, epochs, imagesPerSecond, trainSeconds, peakRssBytes, host,
                gpu, seed, budget, configHash, version, start, finishedAt, error, attempt, slots, dataChecksum,
                parentArchId, accuracy, rewardSize, predictedReward, predictorTau, predictor, rung, rungs, rungRewards,
                childSeconds, measures);
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
        return new HistoryRecord(r.spec().searchId(), r.spec().round(), r.spec().index(), archId, r.spec().genotype(),
                strategy, r.status(), r.reward(), logProb, r.validationAccuracy(), r.trainLoss(), r.params(),
                r.multAdds(), r.epochs(), r.imagesPerSecond(), r.trainSeconds(), r.peakRssBytes(), r.host(), r.gpu(),
                r.spec().seed(), budget, configHash, projectVersion(), start, end, r.error(), attempt, 0, "", parentArchId,
                r.accuracy(), r.rewardSize(), null, null, null, 0, 1, List.of(),
                r.status().ranOnExecutor() ? seconds(start, end) : 0, r.measures());
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
        return new HistoryRecord(searchId, round, childIndex, archId, genotype, strategy, Status.CACHED, reward, logProb,
                validationAccuracy, trainLoss, params, multAdds, epochs, 0, 0, 0, "", "", seed, budget, configHash,
                projectVersion(), now, now, "reused from " + from, 0, 0, "", parent, accuracy, rewardSize,
                null, null, null, rung, rungs, rungRewards, 0, measures);
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
        Columns.Cells c = new Columns.Cells(row);
        return new HistoryRecord(c.get("search_id"), c.<Integer>get("round"), c.<Integer>get("child_index"),
                c.get("arch_id"), c.get("genotype"), c.get("strategy"), Status.valueOf(c.get("status")),
                c.<Double>get("reward"), c.<Double>get("log_prob"), c.get("val_accuracy"), c.<Double>get("train_loss"),
                c.<Long>get("params"), c.<Long>get("mult_adds"), c.<Integer>get("epochs"),
                c.<Double>get("images_per_sec"), c.<Double>get("train_seconds"), c.<Long>get("peak_rss_bytes"),
                c.get("host"), c.get("gpu"), c.<Long>get("seed"), c.get("budget"), c.get("config_hash"),
                c.get("version"), c.get("started_at"), c.get("finished_at"), c.get("error"), c.<Integer>get("attempt"),
                c.<Integer>get("slots"), c.get("data_checksum"), c.get("parent_arch_id"), c.<Double>get("accuracy"),
                c.<Long>get("reward_size"), c.get("predicted_reward"), c.get("predictor_tau"), c.get("predictor"),
                c.<Integer>get("rung"), c.<Integer>get("rungs"), c.get("rung_rewards"), c.<Double>get("child_seconds"),
                new ChildMeasures(c.<Double>get("accuracy_mean"), c.<Double>get("validation_loss"),
                        c.<Double>get("train_loss_area"), new ZeroCost(c.<Double>get("naswot"), c.<Double>get("synflow"),
                        c.<Double>get("grad_norm"), c.<Double>get("zero_cost_seconds"))));
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
