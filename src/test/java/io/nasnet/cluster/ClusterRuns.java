package io.nasnet.cluster;

import io.nasnet.child.Status;
import io.nasnet.TestSpark;
import org.apache.spark.sql.SparkSession;
import io.nasnet.cli.Main;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the cluster tests compare: a search's rows and checkpoint, and the same search run in local mode. */
final class ClusterRuns {

    private ClusterRuns() {
    }

    /** What must not change between a run on a cluster, a disturbed one and one in local mode. */
    record Outcome(int round, int child, String archId, double reward, Status status) {
        static Outcome of(HistoryRecord r) {
            return new Outcome(r.round(), r.childIndex(), r.archId(), r.reward(), r.status());
        }
    }

    /**
     * This JVM's Spark session, its default FileSystem the cluster's HDFS (as HADOOP_CONF_DIR makes
     * it for spark-submit): local paths need {@code file://}.
     */
    static SparkSession spark() {
        SparkSession spark = TestSpark.local();
        spark.sparkContext().hadoopConfiguration().set("fs.defaultFS", ClusterExtension.cluster().hdfsUri());
        return spark;
    }

    static List<HistoryRecord> records(String table, String searchId) {
        return new HistoryTable(spark(), table).records(searchId);
    }

    static List<Outcome> outcomes(List<HistoryRecord> records) {
        return records.stream().map(Outcome::of).toList();
    }

    static byte[] checkpoint(String dir, String searchId) throws IOException {
        Path p = new Path(dir, searchId + ".ckpt");
        try (FSDataInputStream in = p.getFileSystem(ClusterExtension.hadoopConf()).open(p)) {
            return in.readAllBytes();
        }
    }

    /** Runs a nasnet command line in this JVM, in {@link #spark()}'s session. */
    static void runLocally(List<String> args) {
        spark();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as("local run: %s%s", out, err).isZero();
    }
}
