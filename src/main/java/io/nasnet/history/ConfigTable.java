package io.nasnet.history;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Every configuration a row of the history table was written with, by the {@code config_hash} the
 * row carries: the Parquet table {@code nas_configs} next to the history table (its path with
 * {@code -configs} added), one row per configuration, its text the whole {@code nasnet} block as
 * the run resolved it (defaults included). Joined on {@code config_hash}, any row's settings are
 * recovered; the text loads again as a configuration file ({@code nasnet = {...}}).
 */
public final class ConfigTable {

    public static final String VIEW = "nas_configs";

    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("config_hash", DataTypes.StringType, false),
            DataTypes.createStructField("config", DataTypes.StringType, false),
            DataTypes.createStructField("first_used", DataTypes.TimestampType, true),
    });

    private final SparkSession spark;
    private final String path;

    /** The configurations of the history table at {@code historyPath}. */
    public ConfigTable(SparkSession spark, String historyPath) {
        this.spark = spark;
        this.path = historyPath.replaceAll("/+$", "") + "-configs";
    }

    public String path() {
        return path;
    }

    /** Records the configuration {@code rendered} under {@code hash} unless the table has it. */
    public void record(String hash, String rendered, Instant now) {
        if (get(hash).isEmpty()) {
            spark.createDataFrame(List.of(RowFactory.create(hash, rendered, Timestamp.from(now))), SCHEMA)
                    .coalesce(1).write().mode(SaveMode.Append).parquet(path);
        }
    }

    /** The configuration recorded under {@code hash}. */
    public Optional<String> get(String hash) {
        return all().where(col("config_hash").equalTo(hash)).select("config").limit(1).collectAsList().stream()
                .map(r -> r.getString(0)).findFirst();
    }

    /** One row per configuration (empty, with the schema, before the first run). */
    public Dataset<Row> all() {
        Dataset<Row> rows = HistoryTable.readOrEmpty(spark, path, SCHEMA, "the configurations' table");
        return rows.groupBy("config_hash").agg(org.apache.spark.sql.functions.first("config").as("config"),
                org.apache.spark.sql.functions.min("first_used").as("first_used"));
    }

    /** Registers the {@code nas_configs} view. */
    public void register() {
        all().createOrReplaceTempView(VIEW);
    }
}
