package io.nasnet.train;

import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

/**
 * {@code nas_final}: one Parquet row per final training, next to the search history so one SQL
 * query joins an architecture's proxy reward with its final test accuracy (on {@code arch_id}).
 */
public final class FinalTable {

    public static final String VIEW = "nas_final";

    public static final StructType SCHEMA = new StructType(new StructField[]{
            field("arch_id", DataTypes.StringType),
            field("genotype", DataTypes.StringType),
            field("stacking", DataTypes.StringType),
            field("n", DataTypes.IntegerType),
            field("f", DataTypes.IntegerType),
            field("epochs", DataTypes.IntegerType),
            field("test_accuracy", DataTypes.DoubleType),
            field("val_accuracy", DataTypes.createArrayType(DataTypes.DoubleType, false)),
            field("params", DataTypes.LongType),
            field("mult_adds", DataTypes.LongType),
            field("seconds", DataTypes.DoubleType),
            field("distributed", DataTypes.BooleanType),
            field("workers", DataTypes.IntegerType),
            field("batch_size", DataTypes.IntegerType),
            field("learning_rate", DataTypes.DoubleType),
            field("data", DataTypes.StringType),
            field("seed", DataTypes.LongType),
            field("model_path", DataTypes.StringType),
            field("version", DataTypes.StringType),
            field("finished_at", DataTypes.TimestampType),
    });

    private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private final SparkSession spark;
    private final String path;
    private final Clock clock;

    public FinalTable(SparkSession spark, String path) {
        this(spark, path, Clock.systemUTC());
    }

    /** The same, each row's {@code trained_at} read from {@code clock}. */
    public FinalTable(SparkSession spark, String path, Clock clock) {
        this.spark = spark;
        this.path = path;
        this.clock = clock;
    }

    public String path() {
        return path;
    }

    /** Appends one training's row. */
    public void append(FinalResult r, boolean distributed, String dataPath) {
        FinalSettings s = r.settings();
        Row row = RowFactory.create(r.archId(), r.genotype(), s.stackingName(), s.n(), s.f(), s.epochs(),
                r.testAccuracy(), r.epochs().stream().map(EpochStats::validationAccuracy).toList(), r.params(),
                r.multAdds(), r.trainSeconds(), distributed, distributed ? s.workers() : 1, s.batchSize(),
                s.learningRate(), dataPath, s.seed(), r.modelPath(), HistoryRecord.projectVersion(),
                Timestamp.from(clock.instant()));
        spark.createDataFrame(List.of(row), SCHEMA).coalesce(1).write().mode(SaveMode.Append).parquet(path);
    }

    /** The table (empty, with the schema, before the first training). */
    public Dataset<Row> all() {
        return HistoryTable.readOrEmpty(spark, path, SCHEMA, "the final-training table");
    }

    /** Registers the {@code nas_final} view. */
    public void register() {
        all().createOrReplaceTempView(VIEW);
    }
}
