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
     * Kryo with ND4J's registrator: dl4j-spark needs both to move arrays, so data-parallel training
     * sets them on its session (unless the submitter chose a serializer). Only there: the registrator
     * loads ND4J's backend in the driver, which a search's driver need not have (a CUDA jar's driver
     * on a machine without a GPU). A cluster whose context is started before the job (Databricks) sets
     * them in its own configuration (jobs/databricks-*.json, checked against this map by the tests).
     */
    public static final Map<String, String> KRYO = Map.of(
            "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");

    /**
     * Delta Lake's SQL extension and catalog ({@code history.format = delta}, {@code CONVERT TO DELTA},
     * {@code OPTIMIZE}); static settings, so set when the session starts unless the cluster set its own
     * (Databricks runs its own Delta).
     */
    public static final Map<String, String> DELTA = Map.of(
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");

    private Spark() {
    }

    /** The session of a command reading {@code config}: its application name and master. */
    static SparkSession session(io.nasnet.search.SearchConfig config) {
        return session(config.appName(), config);
    }

    /**
     * The session of a command reading {@code config}, named {@code appName}: with a Hive metastore
     * when {@code history.catalog} is set and the submitter chose no catalog (in local mode Spark's
     * embedded one: a Derby store in {@code metastore_db} and {@code spark-warehouse} under the working
     * folder).
     */
    static SparkSession session(String appName, io.nasnet.search.SearchConfig config) {
        return withCatalog(builder(appName, config.sparkMaster()), config).getOrCreate();
    }

    static SparkSession session(String appName, String defaultMaster) {
        return builder(appName, defaultMaster).getOrCreate();
    }

    /** The session of dl4j-spark's data-parallel training: {@link #KRYO} on. */
    static SparkSession trainingSession(String appName, io.nasnet.search.SearchConfig config) {
        SparkSession.Builder b = withCatalog(builder(appName, config.sparkMaster()), config);
        if (!new SparkConf(true).contains("spark.serializer")) {
            for (Map.Entry<String, String> e : KRYO.entrySet()) {
                b = b.config(e.getKey(), e.getValue());
            }
        }
        return b.getOrCreate();
    }

    private static SparkSession.Builder builder(String appName, String defaultMaster) {
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        SparkConf submitted = new SparkConf(true);
        if (!submitted.contains("spark.master")) {
            b = b.master(defaultMaster).config("spark.ui.enabled", "false");
        }
        return withDelta(b, submitted);
    }

    private static SparkSession.Builder withCatalog(SparkSession.Builder b, io.nasnet.search.SearchConfig config) {
        boolean chosen = new SparkConf(true).contains("spark.sql.catalogImplementation");
        return config.historyCatalog().isEmpty() || chosen ? b : b.enableHiveSupport();
    }

    /** {@code b} with {@link #DELTA}'s settings that {@code submitted} does not already make. */
    public static SparkSession.Builder withDelta(SparkSession.Builder b, SparkConf submitted) {
        for (Map.Entry<String, String> e : DELTA.entrySet()) {
            if (!submitted.contains(e.getKey())) {
                b = b.config(e.getKey(), e.getValue());
            }
        }
        return b;
    }
}
