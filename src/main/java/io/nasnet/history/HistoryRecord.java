package io.nasnet.history;

import io.nasnet.child.ChildMeasures;
import io.nasnet.child.ChildResult;
import io.nasnet.child.ZeroCost;
import io.nasnet.child.Status;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One row of the history table: a child's result with what the search knew about it. The
 * Parquet schema is {@link #SCHEMA}, defined here and nowhere else.
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

    public static final StructType SCHEMA = new StructType(new StructField[]{
            field("search_id", DataTypes.StringType),
            field("round", DataTypes.IntegerType),
            field("child_index", DataTypes.IntegerType),
            field("arch_id", DataTypes.StringType),
            field("genotype", DataTypes.StringType),
            field("strategy", DataTypes.StringType),
            field("status", DataTypes.StringType),
            field("reward", DataTypes.DoubleType),
            field("log_prob", DataTypes.DoubleType),
            field("val_accuracy", DataTypes.createArrayType(DataTypes.DoubleType, false)),
            field("train_loss", DataTypes.DoubleType),
            field("params", DataTypes.LongType),
            field("mult_adds", DataTypes.LongType),
            field("epochs", DataTypes.IntegerType),
            field("images_per_sec", DataTypes.DoubleType),
            field("train_seconds", DataTypes.DoubleType),
            field("peak_rss_bytes", DataTypes.LongType),
            field("host", DataTypes.StringType),
            field("gpu", DataTypes.StringType),
            field("seed", DataTypes.LongType),
            field("budget", DataTypes.StringType),
            field("config_hash", DataTypes.StringType),
            field("version", DataTypes.StringType),
            field("started_at", DataTypes.TimestampType),
            field("finished_at", DataTypes.TimestampType),
            field("error", DataTypes.StringType),
            field("attempt", DataTypes.IntegerType),
            field("slots", DataTypes.IntegerType),
            field("data_checksum", DataTypes.StringType),
            field("parent_arch_id", DataTypes.StringType),
            field("accuracy", DataTypes.DoubleType),
            field("reward_size", DataTypes.LongType),
            field("predicted_reward", DataTypes.DoubleType),
            field("predictor_tau", DataTypes.DoubleType),
            field("predictor", DataTypes.StringType),
            field("rung", DataTypes.IntegerType),
            field("rungs", DataTypes.IntegerType),
            field("rung_rewards", DataTypes.createArrayType(DataTypes.DoubleType, false)),
            field("child_seconds", DataTypes.DoubleType),
            field("accuracy_mean", DataTypes.DoubleType),
            field("validation_loss", DataTypes.DoubleType),
            field("train_loss_area", DataTypes.DoubleType),
            field("naswot", DataTypes.DoubleType),
            field("synflow", DataTypes.DoubleType),
            field("grad_norm", DataTypes.DoubleType),
            field("zero_cost_seconds", DataTypes.DoubleType),
    });

    private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

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
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(new Object[]{searchId, round, childIndex, archId, genotype, strategy, status.name(), reward, logProb,
                scala.collection.JavaConverters.asScalaBuffer(validationAccuracy).toList(), trainLoss, params,
                multAdds, epochs, imagesPerSecond, trainSeconds, peakRssBytes, host, gpu, seed, budget, configHash,
                version, startedAt == null ? null : Timestamp.from(startedAt),
                finishedAt == null ? null : Timestamp.from(finishedAt), error, attempt, slots, dataChecksum, parentArchId,
                accuracy, rewardSize, predictedReward, predictorTau, predictor, rung, rungs,
                scala.collection.JavaConverters.asScalaBuffer(rungRewards).toList(), childSeconds,
                orNull(measures.accuracyMean()), orNull(measures.validationLoss()), orNull(measures.trainLossArea()),
                orNull(measures.zeroCost().naswot()), orNull(measures.zeroCost().synflow()),
                orNull(measures.zeroCost().gradNorm()), orNull(measures.zeroCost().seconds())}, SCHEMA);
    }

    /** NaN (not measured) as null in the table. */
    private static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }

    public static HistoryRecord fromRow(Row row) {
        List<Double> acc = row.isNullAt(row.fieldIndex("val_accuracy")) ? List.of()
                : row.<Double>getList(row.fieldIndex("val_accuracy"));
        Timestamp start = row.getAs("started_at");
        Timestamp end = row.getAs("finished_at");
        return new HistoryRecord(row.getAs("search_id"), row.<Integer>getAs("round"), row.<Integer>getAs("child_index"),
                row.getAs("arch_id"), row.getAs("genotype"), row.getAs("strategy"), Status.valueOf(row.getAs("status")),
                row.<Double>getAs("reward"), row.<Double>getAs("log_prob"), acc, row.<Double>getAs("train_loss"),
                row.<Long>getAs("params"), row.<Long>getAs("mult_adds"), row.<Integer>getAs("epochs"),
                row.<Double>getAs("images_per_sec"), row.<Double>getAs("train_seconds"),
                row.<Long>getAs("peak_rss_bytes"), row.getAs("host"), row.getAs("gpu"), row.<Long>getAs("seed"),
                row.getAs("budget"), row.getAs("config_hash"), row.getAs("version"),
                start == null ? null : start.toInstant(), end == null ? null : end.toInstant(), row.getAs("error"),
                intOrZero(row, "attempt"), intOrZero(row, "slots"), row.getAs("data_checksum"), row.getAs("parent_arch_id"),
                row.isNullAt(row.fieldIndex("accuracy")) ? row.<Double>getAs("reward") : row.<Double>getAs("accuracy"),
                row.isNullAt(row.fieldIndex("reward_size")) ? 0 : row.<Long>getAs("reward_size"),
                row.<Double>getAs("predicted_reward"), row.<Double>getAs("predictor_tau"), row.getAs("predictor"),
                intOrZero(row, "rung"), row.isNullAt(row.fieldIndex("rungs")) ? 1 : row.getInt(row.fieldIndex("rungs")),
                row.isNullAt(row.fieldIndex("rung_rewards")) ? List.of() : row.<Double>getList(row.fieldIndex("rung_rewards")),
                row.isNullAt(row.fieldIndex("child_seconds"))
                        ? (Status.valueOf(row.getAs("status")).ranOnExecutor() ? seconds(
                        start == null ? null : start.toInstant(), end == null ? null : end.toInstant()) : 0)
                        : row.getDouble(row.fieldIndex("child_seconds")),
                new ChildMeasures(nanIfNull(row, "accuracy_mean"), nanIfNull(row, "validation_loss"),
                        nanIfNull(row, "train_loss_area"), new ZeroCost(nanIfNull(row, "naswot"),
                        nanIfNull(row, "synflow"), nanIfNull(row, "grad_norm"), nanIfNull(row, "zero_cost_seconds"))));
    }

    /** A measurement column: NaN where the row has none (null, or a table written before the column). */
    private static double nanIfNull(Row row, String column) {
        int i = row.schema() == null ? -1 : java.util.Arrays.asList(row.schema().fieldNames()).indexOf(column);
        return i < 0 || row.isNullAt(i) ? Double.NaN : row.getDouble(i);
    }

    /** Columns added after the first release read as 0 in tables written before them. */
    private static int intOrZero(Row row, String column) {
        int i = row.fieldIndex(column);
        return row.isNullAt(i) ? 0 : row.getInt(i);
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
