package io.nasnet.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HDFS (one NameNode, one DataNode) and YARN (one ResourceManager, one NodeManager) in one JVM,
 * Hadoop's own MiniDFSCluster and MiniYARNCluster, sized for a small machine. Run as its own process
 * by {@link LocalCluster}: {@code MiniHadoop BASE_DIR CONF_DIR}. It writes the clusters'
 * configuration to CONF_DIR (core-site.xml, hdfs-site.xml, yarn-site.xml: the folder for
 * HADOOP_CONF_DIR and YARN_CONF_DIR), then {@code ready}, and runs until it gets SIGTERM.
 */
public final class MiniHadoop {

    private static final String RACK_MAPPING = "net.topology.node.switch.mapping.impl";

    private MiniHadoop() {
    }

    public static void main(String[] args) {
        Path base = Path.of(args[0]).toAbsolutePath();
        Path confDir = Path.of(args[1]).toAbsolutePath();
        try {
            Configuration conf = configuration(base);
            MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf, base.resolve("dfs").toFile())
                    .numDataNodes(1).build();
            dfs.waitActive();
            YarnConfiguration yarnConf = new YarnConfiguration(dfs.getConfiguration(0));
            // MiniDFS sets a test-only rack mapping class (StaticMapping) that an ApplicationMaster
            // cannot load (exit code 13): the default mapping again
            yarnConf.set(RACK_MAPPING, "org.apache.hadoop.net.ScriptBasedMapping");
            MiniYARNCluster yarn = new MiniYARNCluster("nasnet", 1, 1, 1);
            yarn.init(yarnConf);
            yarn.start();
            if (!yarn.waitForNodeManagersToConnect(60_000)) {
                throw new IllegalStateException("the NodeManager did not register within 60 s");
            }
            Configuration all = new Configuration(yarn.getConfig());
            all.set("fs.defaultFS", dfs.getURI().toString());
            Files.createDirectories(confDir);
            for (String site : new String[]{"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
                try (OutputStream out = Files.newOutputStream(confDir.resolve(site))) {
                    all.writeXml(out);
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // yarn.stop() can hang on its own threads; the JVM halts once the hooks are done
                dfs.shutdown();
            }));
            Files.writeString(confDir.resolve("ready"), dfs.getURI() + "\n");
            System.out.println("HDFS " + dfs.getURI() + ", YARN ResourceManager "
                    + all.get(YarnConfiguration.RM_ADDRESS));
            Thread.currentThread().join();
        } catch (Throwable e) {
            // a failed start leaves non-daemon threads behind: end the process outright
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
    }

    /** HDFS and YARN settings that fit a 2-core, 24 GB machine and the containers of the tests. */
    static Configuration configuration(Path base) {
        Configuration conf = new Configuration();
        conf.set("hadoop.tmp.dir", new File(base.toFile(), "tmp").getPath());
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, 2);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        // MiniYARNCluster gives its NodeManagers this one instead (4 GB by default)
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 6144);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        // containers over their memory are killed, as on a production cluster: the executors' plan must hold
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
        // keep the containers' logs after the application ends: that is where a cluster-mode driver prints
        conf.setInt(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 3600);
        // the minicluster jar ships no capacity-scheduler.xml: one queue, "default"
        String q = "yarn.scheduler.capacity.root";
        conf.set(q + ".queues", "default");
        conf.set(q + ".default.capacity", "100");
        conf.set(q + ".default.maximum-capacity", "100");
        conf.set(q + ".default.state", "RUNNING");
        conf.set(q + ".default.acl_submit_applications", "*");
        conf.set(q + ".default.acl_administer_queue", "*");
        conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
        return conf;
    }
}
