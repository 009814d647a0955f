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
        SparkConf conf = new SparkConf(true);
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        if (!conf.contains("spark.master")) {
            b = b.master(defaultMaster).config("spark.ui.enabled", "false");
        }
        return b.getOrCreate();
    }
}
