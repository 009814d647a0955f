package io.nasnet.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One {@link LocalCluster} for every integration test class of a run, started before the first and
 * stopped after the last (JUnit's root store closes it), with the shipped dataset already on HDFS
 * at {@code /data/fashion-small} and the cluster jar at {@code /nasnet/jars}.
 */
public final class ClusterExtension implements BeforeAllCallback {

    static final String DATA = "/data/fashion-small";
    static final String JAR = "/nasnet/jars/nasnet-spark-cluster.jar";

    private static LocalCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(LocalCluster.class.getName(), k -> new Running(start()), Running.class);
    }

    /** The running cluster (inside a class extended with this). */
    static LocalCluster cluster() {
        return cluster;
    }

    /** A client of the cluster's HDFS, configured from its hadoop-conf folder. */
    static FileSystem hdfs() throws IOException {
        return FileSystem.get(hadoopConf());
    }

    static Configuration hadoopConf() {
        Configuration conf = new Configuration(false);
        for (String site : new String[]{"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
            conf.addResource(new Path(cluster.hadoopConfDir().resolve(site).toUri()));
        }
        return conf;
    }

    private static synchronized LocalCluster start() {
        try {
            java.nio.file.Path project = java.nio.file.Path.of("").toAbsolutePath();
            long t0 = System.nanoTime();
            cluster = LocalCluster.start(project.resolve("target/it-cluster"), LocalCluster.Parts.fromBuild(project));
            System.out.printf("local cluster (HDFS, YARN, Spark master and 2 workers) up in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            FileSystem fs = hdfs();
            fs.copyFromLocalFile(new Path(project.resolve("data/fashion-mnist-small").toUri()), new Path(DATA));
            fs.copyFromLocalFile(new Path(project.resolve("target/nasnet-spark-cluster.jar").toUri()), new Path(JAR));
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Running(LocalCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws InterruptedException {
            cluster.stop();
        }
    }
}
