package io.nasnet.history;

import io.nasnet.child.ChildMeasures;
import io.nasnet.child.Status;
import io.nasnet.child.ZeroCost;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The history table's columns, in table order, each once: its name, its type, how a record writes
 * it, and what a row of a table written before the column reads as. The schema
 * ({@link HistoryRecord#SCHEMA}), the row writer ({@link HistoryRecord#toRow}), the row reader
 * ({@link HistoryRecord#fromRow}) and every copy a record makes of itself ({@link HistoryRecord#with})
 * derive from this list and from {@link #record}, the one place a record is made from its cells: a
 * new column is its entry here, its cell in {@link #record}, and its field in the record.
 */
final class Columns {

    private Columns() {
    }

    /**
     * One column. {@code missing}: its value in a row whose table lacks it, or where it is null (by
     * default zero for a number, null otherwise).
     */
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
            column("predicted_reward", DataTypes.DoubleType, HistoryRecord::predictedReward, c -> null),
            column("predictor_tau", DataTypes.DoubleType, HistoryRecord::predictorTau, c -> null),
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
        Object zero = type == DataTypes.IntegerType ? (Object) 0 : type == DataTypes.LongType ? (Object) 0L
                : type == DataTypes.DoubleType ? (Object) 0.0 : null;
        return new Column(name, type, write, c -> zero);
    }

    /** The record of some cells: each column read once, in table order. */
    static HistoryRecord record(Cells c) {
        return new HistoryRecord(c.get("search_id"), c.<Integer>get("round"), c.<Integer>get("child_index"),
                c.get("arch_id"), c.get("genotype"), c.get("strategy"), c.get("status"),
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

    private static Column column(String name, DataType type, Function<HistoryRecord, Object> write,
                                 Function<Cells, Object> missing) {
        return new Column(name, type, write, missing);
    }

    /** A record's values in table order. */
    static Object[] values(HistoryRecord r) {
        return ALL.stream().map(c -> c.write().apply(r)).toArray();
    }

    /**
     * Cells read by column name: a stored row's (null for none), with some cells given instead. A
     * column the row's table lacks, or a null where the column says what a missing value means, reads
     * as that; a value reads as its column's type (a number of another width, a status's name, a
     * timestamp as an instant).
     */
    static final class Cells {

        private final Row row;
        private final Map<String, ?> given;

        Cells(Row row, Map<String, ?> given) {
            this.row = row;
            this.given = given;
            given.keySet().forEach(Columns::named);
        }

        @SuppressWarnings("unchecked")
        <T> T get(String name) {
            Column c = named(name);
            Object v = null;
            if (given.containsKey(name)) {
                v = given.get(name);
            } else if (row != null && row.schema() != null) {
                int i = (Integer) row.schema().getFieldIndex(name).getOrElse(() -> -1);
                v = i >= 0 && !row.isNullAt(i) ? row.get(i) : null;
            }
            return (T) (v == null ? c.missing().apply(this) : as(c, v));
        }
    }

    private static Column named(String name) {
        Column c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no history column " + name);
        }
        return c;
    }

    private static final Map<String, Column> BY_NAME = ALL.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Column::name, c -> c));

    private static Object as(Column c, Object v) {
        if (v instanceof scala.collection.Seq<?> seq) {
            return List.copyOf(scala.collection.JavaConverters.seqAsJavaList(seq));
        }
        if (v instanceof List<?> list) {
            return List.copyOf(list);
        }
        if (c.name().equals("status")) {
            return v instanceof Status s ? s : Status.valueOf(v.toString());
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof Number n) {
            return c.type() == DataTypes.IntegerType ? (Object) n.intValue()
                    : c.type() == DataTypes.LongType ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        return v;
    }

    private static Object taskSeconds(Cells c) {
        Instant start = c.get("started_at");
        Instant end = c.get("finished_at");
        boolean ran = c.<Status>get("status").ranOnExecutor();
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
