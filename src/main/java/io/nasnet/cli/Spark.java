package io.nasnet.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command: the one spark-submit or Databricks set up
 * ({@code getOrCreate()}), else an embedded one on the configured master.
 */
final class Spark {

    private Spark() {
    }

    static SparkSession session(String appName, String defaultMaster) {
        return builder(appName, defaultMaster).getOrCreate();
    }

    /**
     * A session for dl4j-spark training: with Kryo, dl4j-spark needs ND4J's registrator to move
     * arrays (on a cluster, spark-submit's conf sets both; see conf/yarn.conf).
     */
    static SparkSession dl4jSession(String appName, String defaultMaster) {
        return builder(appName, defaultMaster)
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
                .getOrCreate();
    }

    private static SparkSession.Builder builder(String appName, String defaultMaster) {
        SparkConf conf = new SparkConf(true);
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        if (!conf.contains("spark.master")) {
            b = b.master(defaultMaster).config("spark.ui.enabled", "false");
        }
        return b;
    }
}
