package io.nasnet;

import io.nasnet.cli.Spark;
import org.apache.spark.sql.SparkSession;

/** The embedded Spark session of a test: local[2], no UI, dynamic partition overwrite and Delta as the project runs it. */
public final class TestSpark {

    private TestSpark() {
    }

    public static SparkSession local(String app) {
        return builder(app).getOrCreate();
    }

    /** With Kryo and ND4J's registrator ({@link Spark#KRYO}), as data-parallel training and Databricks run. */
    public static SparkSession kryo(String app) {
        SparkSession.Builder b = builder(app);
        for (var e : Spark.KRYO.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        return b.getOrCreate();
    }

    private static SparkSession.Builder builder(String app) {
        return Spark.withDelta(SparkSession.builder().master("local[2]").appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic"), new org.apache.spark.SparkConf(false));
    }
}
