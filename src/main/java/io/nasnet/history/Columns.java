package io.nasnet.history;

import io.nasnet.child.Status;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The history table's columns, in table order, each once: its name, its type, how a record writes
 * it, and what a row of a table written before the column reads as. The schema
 * ({@link HistoryRecord#SCHEMA}), the row writer ({@link HistoryRecord#toRow}) and the row reader's
 * defaults ({@link HistoryRecord#fromRow}) all derive from this list: a new column is one entry here
 * (and its field in the record).
 */
final class Columns {

    private Columns() {
    }

    /** One column. {@code missing}: its value in a row whose table lacks it, or where it is null. */
    record Column(String name, DataType type, Function<HistoryRecord, Object> write, Function<Cells, Object> missing) {
    }

    private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, false);

    static final List<Column> ALL = List.of(
            column("search_id", DataTypes.StringType, HistoryRecord::searchId),
            column("round", DataTypes.IntegerType, HistoryRecord::round),
            column("child_index", DataTypes.IntegerType, HistoryRecord::childIndex),
            column("arch_id", DataTypes.StringType, HistoryRecord::archId),
            column("genotype", DataTypes.StringType, HistoryRecord::genotype),
            column("strategy", DataTypes.StringType, HistoryRecord::strategy),
            column("status", DataTypes.StringType, r -> r.status().name()),
            column("reward", DataTypes.DoubleType, HistoryRecord::reward),
            column("log_prob", DataTypes.DoubleType, HistoryRecord::logProb),
            column("val_accuracy", DOUBLES, r -> seq(r.validationAccuracy()), c -> List.of()),
            column("train_loss", DataTypes.DoubleType, HistoryRecord::trainLoss),
            column("params", DataTypes.LongType, HistoryRecord::params),
            column("mult_adds", DataTypes.LongType, HistoryRecord::multAdds),
            column("epochs", DataTypes.IntegerType, HistoryRecord::epochs),
            column("images_per_sec", DataTypes.DoubleType, HistoryRecord::imagesPerSecond),
            column("train_seconds", DataTypes.DoubleType, HistoryRecord::trainSeconds),
            column("peak_rss_bytes", DataTypes.LongType, HistoryRecord::peakRssBytes),
            column("host", DataTypes.StringType, HistoryRecord::host),
            column("gpu", DataTypes.StringType, HistoryRecord::gpu),
            column("seed", DataTypes.LongType, HistoryRecord::seed),
            column("budget", DataTypes.StringType, HistoryRecord::budget),
            column("config_hash", DataTypes.StringType, HistoryRecord::configHash),
            column("version", DataTypes.StringType, HistoryRecord::version),
            column("started_at", DataTypes.TimestampType, r -> timestamp(r.startedAt())),
            column("finished_at", DataTypes.TimestampType, r -> timestamp(r.finishedAt())),
            column("error", DataTypes.StringType, HistoryRecord::error),
            column("attempt", DataTypes.IntegerType, HistoryRecord::attempt, c -> 0),
            column("slots", DataTypes.IntegerType, HistoryRecord::slots, c -> 0),
            column("data_checksum", DataTypes.StringType, HistoryRecord::dataChecksum),
            column("parent_arch_id", DataTypes.StringType, HistoryRecord::parentArchId),
            // before the size-aware reward, the reward was the accuracy
            column("accuracy", DataTypes.DoubleType, HistoryRecord::accuracy, c -> c.get("reward")),
            column("reward_size", DataTypes.LongType, HistoryRecord::rewardSize, c -> 0L),
            column("predicted_reward", DataTypes.DoubleType, HistoryRecord::predictedReward),
            column("predictor_tau", DataTypes.DoubleType, HistoryRecord::predictorTau),
            column("predictor", DataTypes.StringType, HistoryRecord::predictor),
            column("rung", DataTypes.IntegerType, HistoryRecord::rung, c -> 0),
            column("rungs", DataTypes.IntegerType, HistoryRecord::rungs, c -> 1),
            column("rung_rewards", DOUBLES, r -> seq(r.rungRewards()), c -> List.of()),
            // before rungs, a child's cost was its task's time from start to finish
            column("child_seconds", DataTypes.DoubleType, HistoryRecord::childSeconds, Columns::taskSeconds),
            column("accuracy_mean", DataTypes.DoubleType, r -> orNull(r.measures().accuracyMean()), c -> Double.NaN),
            column("validation_loss", DataTypes.DoubleType, r -> orNull(r.measures().validationLoss()), c -> Double.NaN),
            column("train_loss_area", DataTypes.DoubleType, r -> orNull(r.measures().trainLossArea()), c -> Double.NaN),
            column("naswot", DataTypes.DoubleType, r -> orNull(r.measures().zeroCost().naswot()), c -> Double.NaN),
            column("synflow", DataTypes.DoubleType, r -> orNull(r.measures().zeroCost().synflow()), c -> Double.NaN),
            column("grad_norm", DataTypes.DoubleType, r -> orNull(r.measures().zeroCost().gradNorm()), c -> Double.NaN),
            column("zero_cost_seconds", DataTypes.DoubleType, r -> orNull(r.measures().zeroCost().seconds()),
                    c -> Double.NaN));

    static final StructType SCHEMA = new StructType(ALL.stream()
            .map(c -> DataTypes.createStructField(c.name(), c.type(), true)).toArray(StructField[]::new));

    private static Column column(String name, DataType type, Function<HistoryRecord, Object> write) {
        return new Column(name, type, write, c -> null);
    }

    private static Column column(String name, DataType type, Function<HistoryRecord, Object> write,
                                 Function<Cells, Object> missing) {
        return new Column(name, type, write, missing);
    }

    /** A record's values in table order. */
    static Object[] values(HistoryRecord r) {
        return ALL.stream().map(c -> c.write().apply(r)).toArray();
    }

    /**
     * One stored row read by column name: a column the row's table lacks, or a null where the column
     * says what a missing value means, reads as that.
     */
    static final class Cells {

        private final Row row;

        Cells(Row row) {
            this.row = row;
        }

        @SuppressWarnings("unchecked")
        <T> T get(String name) {
            int i = row.schema() == null ? -1 : (Integer) row.schema().getFieldIndex(name).getOrElse(() -> -1);
            if (i >= 0 && !row.isNullAt(i)) {
                Object v = row.get(i);
                if (v instanceof scala.collection.Seq<?> seq) {
                    return (T) List.copyOf(scala.collection.JavaConverters.seqAsJavaList(seq));
                }
                return (T) (v instanceof Timestamp t ? t.toInstant() : v);
            }
            Column c = ALL.stream().filter(col -> col.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no history column " + name));
            return (T) c.missing().apply(this);
        }
    }

    private static Object taskSeconds(Cells c) {
        Instant start = c.get("started_at");
        Instant end = c.get("finished_at");
        boolean ran = Status.valueOf(c.<String>get("status")).ranOnExecutor();
        return ran && start != null && end != null ? Duration.between(start, end).toNanos() / 1e9 : 0.0;
    }

    private static Object seq(List<Double> xs) {
        return scala.collection.JavaConverters.asScalaBuffer(xs).toList();
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    /** NaN (not measured) as null in the table. */
    private static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
