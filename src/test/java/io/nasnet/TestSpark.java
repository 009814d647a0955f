package io.nasnet;

import io.nasnet.cli.Spark;
import org.apache.spark.sql.SparkSession;

/**
 * The embedded Spark session of a test: local[2], no UI, and the settings every session of the
 * project has ({@link Spark}: Kryo with ND4J's registrator, dynamic partition overwrite).
 */
public final class TestSpark {

    private TestSpark() {
    }

    public static SparkSession local(String app) {
        SparkSession.Builder b = SparkSession.builder().master("local[2]").appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        for (var e : Spark.KRYO.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        return b.getOrCreate();
    }
}
