package io.nasnet;

import io.nasnet.cli.Spark;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The embedded Spark session of the tests: local[2], no UI, dynamic partition overwrite and Delta as
 * the project runs it. The test classes of a JVM share one session ({@link #local()}): starting and
 * stopping one per class cost a second or more each. A class that needs another
 * configuration (a Hive metastore, Kryo, task retries) takes its own with {@link #own}, which stops
 * the shared one first, and stops its own when done; the next {@link #local()} starts a shared one again.
 */
public final class TestSpark {

    private TestSpark() {
    }

    /** The shared session; never stop it (the JVM does when the tests end). */
    public static SparkSession local() {
        return builder().getOrCreate();
    }

    /** A session of its own, built by {@code b} after the shared one stopped; the caller stops it. */
    public static SparkSession own(SparkSession.Builder b) {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        return b.getOrCreate();
    }

    /** A session of its own with Kryo and ND4J's registrator ({@link Spark#KRYO}), as data-parallel training and Databricks run. */
    public static SparkSession kryo() {
        SparkSession.Builder b = builder();
        for (var e : Spark.KRYO.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        return own(b);
    }

    /** The tests' settings on a builder: the shared session's, and those a class's own session starts from. */
    public static SparkSession.Builder builder() {
        return Spark.withDelta(SparkSession.builder().master("local[2]").appName("nasnet-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.sources.partitionOverwriteMode", "dynamic"), new SparkConf(false));
    }
}
