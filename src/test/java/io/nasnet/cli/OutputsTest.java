package io.nasnet.cli;

import io.nasnet.TestSpark;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's output folder: a local path on the driver's disk outside cluster mode, and any other
 * FileSystem written through a local staging folder that is copied there and removed.
 */
class OutputsTest {

    /** The local disk under another scheme: a FileSystem that is not {@code file:}. */
    public static final class OtherFs extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("other:///");
        }

        @Override
        public String getScheme() {
            return "other";
        }
    }

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.local();
        spark.sparkContext().hadoopConfiguration().set("fs.other.impl", OtherFs.class.getName());
        spark.sparkContext().hadoopConfiguration().setBoolean("fs.other.impl.disable.cache", true);
    }

    @Test
    void outsideClusterModeAPathWithoutSchemeAndTheDefaultAreOnTheLocalDisk() {
        Outputs outputs = new Outputs(spark);
        assertThat(outputs.clusterMode()).isFalse();
        assertThat(outputs.folder(null, "hdfs:///nasnet/history", "reports", "s1").toUri())
                .isEqualTo(java.nio.file.Path.of("work", "reports", "s1").toAbsolutePath().toUri());
        assertThat(outputs.folder("out/r", "hdfs:///nasnet/history", "reports", "s1").toUri())
                .isEqualTo(java.nio.file.Path.of("out/r").toAbsolutePath().toUri());
        assertThat(outputs.folder("other:///tmp/x", "hdfs:///nasnet/history", "reports", "s1").toString())
                .isEqualTo("other:/tmp/x");
    }

    @Test
    void anotherFileSystemGetsTheFilesThroughAStagingFolderThatIsRemoved(@TempDir java.nio.file.Path dir)
            throws Exception {
        Outputs outputs = new Outputs(spark);
        Path folder = outputs.folder("other://" + dir.resolve("report"), "unused", "reports", "s1");
        java.nio.file.Path[] staged = new java.nio.file.Path[1];
        String named = outputs.write(folder, local -> {
            staged[0] = local;
            Files.createDirectories(local.resolve("img"));
            Files.writeString(local.resolve("img/a.svg"), "<svg/>");
            return Files.writeString(local.resolve("index.html"), "<html>report</html>");
        });
        assertThat(named).isEqualTo("other:" + dir.resolve("report/index.html"));
        FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (var in = fs.open(new Path(folder, "index.html"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("<html>report</html>");
        }
        assertThat(fs.exists(new Path(folder, "img/a.svg"))).isTrue();
        assertThat(staged[0]).doesNotExist();

        // written again: the files are replaced, not nested
        outputs.write(folder, local -> Files.writeString(local.resolve("index.html"), "<html>again</html>"));
        assertThat(Files.readString(dir.resolve("report/index.html"))).isEqualTo("<html>again</html>");
        assertThat(dir.resolve("report/img/a.svg")).exists();
    }
}
