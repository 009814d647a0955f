package io.nasnet;

import org.apache.spark.sql.SparkSession;

/** The embedded Spark session of a test: local[2], no UI, dynamic partition overwrite as the project runs it. */
public final class TestSpark {

    private TestSpark() {
    }

    public static SparkSession local(String app) {
        return builder(app).getOrCreate();
    }

    /** With Kryo and ND4J's registrator, as the cluster configurations set them for dl4j-spark. */
    public static SparkSession kryo(String app) {
        return builder(app).config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator").getOrCreate();
    }

    private static SparkSession.Builder builder(String app) {
        return SparkSession.builder().master("local[2]").appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic");
    }
}
