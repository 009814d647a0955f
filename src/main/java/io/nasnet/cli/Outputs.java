package io.nasnet.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a command's files (a report, a study's charts, cell diagrams) go: a folder on any Hadoop
 * FileSystem. In YARN cluster mode the driver's working directory is deleted with its container, so
 * there a path without a scheme names the cluster's default FileSystem, and a command's default
 * folder sits next to the history table; elsewhere such a path is the driver's local disk.
 */
final class Outputs {

    /** Writes a command's files into a local folder and returns the file to name to the user. */
    interface Writer {
        java.nio.file.Path write(java.nio.file.Path dir) throws IOException;
    }

    private final SparkSession spark;

    Outputs(SparkSession spark) {
        this.spark = spark;
    }

    /** True when the driver runs in a container of the cluster (spark-submit --deploy-mode cluster). */
    boolean clusterMode() {
        return "cluster".equals(spark.sparkContext().getConf().get("spark.submit.deployMode", "client"));
    }

    /**
     * The folder {@code given} names, or when null the default: {@code HISTORY/../KIND/NAME} in cluster
     * mode (next to the history table), {@code work/KIND/NAME} otherwise.
     */
    Path folder(String given, String historyPath, String kind, String name) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try {
            if (given == null) {
                if (clusterMode()) {
                    Path table = new Path(historyPath);
                    Path parent = table.getParent() == null ? table : table.getParent();
                    return qualify(new Path(new Path(parent, kind), name), hadoop);
                }
                return local(java.nio.file.Path.of("work", kind, name));
            }
            Path p = new Path(given);
            if (p.toUri().getScheme() == null && !clusterMode()) {
                return local(java.nio.file.Path.of(given));
            }
            return qualify(p, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("output folder " + (given == null ? "(default)" : given) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code writer} so that its files land in {@code folder}: directly on a local disk, else in a
     * local staging folder copied to the FileSystem afterwards. Returns the named file's full path.
     */
    String write(Path folder, Writer writer) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if ("file".equals(folder.toUri().getScheme())) {
            return writer.write(java.nio.file.Path.of(folder.toUri())).toAbsolutePath().toString();
        }
        FileSystem fs = folder.getFileSystem(hadoop);
        java.nio.file.Path staging = Files.createTempDirectory("nasnet-output-");
        try {
            java.nio.file.Path named = writer.write(staging);
            fs.mkdirs(folder);
            try (Stream<java.nio.file.Path> top = Files.list(staging)) {
                for (java.nio.file.Path f : top.toList()) {
                    fs.copyFromLocalFile(false, true, new Path(f.toUri()), folder);
                }
            }
            return new Path(folder, staging.relativize(named.toAbsolutePath()).toString()).toString();
        } finally {
            try (Stream<java.nio.file.Path> all = Files.walk(staging)) {
                all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * A study's files written into {@code folder} ({@link #write}), then the markdown file the writer
     * names printed to {@code out}, and where the files are ({@code what}: "CSV and tables").
     */
    void writeStudy(java.io.PrintWriter out, Path folder, Writer writer, String what) throws IOException {
        String[] markdown = new String[1];
        String md = write(folder, dir -> {
            java.nio.file.Path p = writer.write(dir);
            markdown[0] = Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
            return p;
        });
        out.println(markdown[0]);
        out.println(what + ": " + md.substring(0, md.lastIndexOf('/')));
        out.flush();
    }

    /** A path as a user reads it: a local one without its {@code file:} scheme. */
    static String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? java.nio.file.Path.of(p.toUri()).toString() : p.toString();
    }

    private static Path local(java.nio.file.Path p) {
        return new Path(p.toAbsolutePath().toUri());
    }

    private static Path qualify(Path p, Configuration hadoop) throws IOException {
        return p.getFileSystem(hadoop).makeQualified(p);
    }
}
