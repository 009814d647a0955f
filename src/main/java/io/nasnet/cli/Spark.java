package io.nasnet.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * The Spark session of a command: the one spark-submit or Databricks set up
 * ({@code getOrCreate()}), else an embedded one on the configured master. Every command gets its
 * session here, so the settings the project needs are set in one place.
 */
public final class Spark {

    /**
     * Kryo with ND4J's registrator: dl4j-spark needs both to move arrays. Set on every session this
     * class starts, unless the submitter chose a serializer; a cluster whose context is started
     * before the job (Databricks) sets them in its own configuration (jobs/databricks-*.json, checked
     * against this map by the tests).
     */
    public static final Map<String, String> KRYO = Map.of(
            "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");

    private Spark() {
    }

    /** The session of a command reading {@code config}: its application name and master. */
    static SparkSession session(io.nasnet.config.SearchConfig config) {
        return session(config.appName(), config.sparkMaster());
    }

    static SparkSession session(String appName, String defaultMaster) {
        SparkConf conf = new SparkConf(true);
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        if (!conf.contains("spark.serializer")) {
            for (Map.Entry<String, String> e : KRYO.entrySet()) {
                b = b.config(e.getKey(), e.getValue());
            }
        }
        if (!conf.contains("spark.master")) {
            b = b.master(defaultMaster).config("spark.ui.enabled", "false");
        }
        return b.getOrCreate();
    }
}
