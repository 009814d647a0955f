package io.nasnet.cluster;

import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryTable;
import io.nasnet.search.Replay;

import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.train.FinalTable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.nasnet.cluster.ClusterExtension.cluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * jobs/submit-yarn.sh itself, in cluster deploy mode (the driver in the ApplicationMaster's
 * container) on a real ResourceManager and NodeManager, with conf/yarn.conf's table and checkpoints on
 * HDFS: a nightly search on executors sized by the script's plan with the NodeManager enforcing their
 * memory, its report left next to the table on HDFS; the next night's run that continues it while an executor container is
 * killed and then its driver (the ApplicationMaster), which YARN runs again, the controller having
 * learned from each child once; data-parallel training of the best cell on two executors; and its
 * model's ONNX export by the cluster jar.
 */
@ExtendWith(ClusterExtension.class)
class YarnClusterIT {

    static final String HISTORY = "hdfs:///nasnet/history";
    static final String CHECKPOINTS = "hdfs:///nasnet/checkpoints";
    static final Duration RUN_LIMIT = Duration.ofMinutes(6);

    /** conf/yarn.conf's search, with children small enough for this machine and the shipped dataset. */
    static final List<String> TINY = List.of("--set", "search.population=2", "--set", "child.n=1",
            "--set", "child.f=4", "--set", "child.epochs=1", "--set", "child.reward-last-k=1",
            "--set", "data.format=idx", "--set", "data.validation=0.1", "--set", "data.train-limit=256");

    /**
     * The environment of jobs/submit-yarn.sh: the cluster's spark-submit, two one-core CPU executors;
     * no memory settings (the plan sizes the executors, the defaults the driver, on a cluster whose
     * largest container is 4 GB, MiniHadoop's).
     */
    static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(cluster().environment());
        env.put("SPARK_SUBMIT", cluster().sparkSubmit().toString());
        env.put("NASNET_JAR", "hdfs://" + ClusterExtension.JAR);
        env.put("EXECUTORS", "2");
        env.put("EXECUTOR_CORES", "1");
        env.put("GPUS_PER_EXECUTOR", "0");
        env.put("CONTAINER_JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    /** A search's executors are sized by the script's plan (nasnet plan); {@code more} adds to the environment. */
    static Launch submitYarn(String name, List<String> args, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jobs/submit-yarn.sh"));
        cmd.addAll(args);
        Map<String, String> env = env();
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return Launch.start(cmd, env, cluster().dir().resolve("logs/yarn-" + name + ".log"));
    }

    static List<String> search(String... more) {
        return search(1, more);
    }

    static List<String> search(int rounds, String... more) {
        List<String> args = new ArrayList<>(List.of("search", "--rounds", String.valueOf(rounds),
                "--set", "data.path=hdfs://" + ClusterExtension.DATA));
        args.addAll(TINY);
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void theNightlySearchRunsContinuesSurvivesALostContainerAndItsBestCellTrainsOnTwoExecutors(
            ) throws Exception {
        long t0 = System.nanoTime();
        Launch first = submitYarn("search-1", search());
        assertThat(first.await(RUN_LIMIT)).as(first.describe()).isZero();
        System.out.printf("YARN search, first night: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(ClusterRuns.records(HISTORY, "nightly")).extracting(HistoryRecord::round).containsExactly(0, 0);
        // its executors were sized by the plan, and with the NodeManager enforcing container memory
        // (MiniHadoop) none was killed: each child trained at its first attempt
        assertThat(first.output()).contains("sizing the executors from one child measured here (nasnet plan)")
                .containsPattern("executors of 1 core\\(s\\): heap [0-9]+m, memoryOverhead [0-9]+m; measured .* per child");
        assertThat(ClusterRuns.records(HISTORY, "nightly")).extracting(HistoryRecord::attempt).containsOnly(0);
        assertThat(java.nio.file.Files.readString(cluster().applicationMasterLog(first.output())))
                .doesNotContain("physical memory limits");
        // the driver's container is gone with its working directory: the report is next to the history table
        Path report = new Path("/nasnet/reports/nightly");
        try (var in = ClusterExtension.hdfs().open(new Path(report, "index.html"))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("nightly").contains("reward.png").contains("normal.svg");
        }
        assertThat(ClusterExtension.hdfs().getFileStatus(new Path(report, "reward.png")).getLen()).isPositive();
        assertThat(ClusterExtension.hdfs().exists(new Path(report, "normal.svg"))).isTrue();

        // a continuation with a changed proxy is refused: the reason reaches the submitter through YARN's
        // diagnostics after one ApplicationMaster attempt, with the command for the driver's log, and the
        // table is as it was
        Launch refused = submitYarn("refused", search("--set", "child.epochs=2"));
        assertThat(refused.await(RUN_LIMIT)).as(refused.describe()).isNotZero();
        assertThat(refused.output()).contains("failed: nasnet search")
                .contains("search 'nightly' cannot continue with changed settings:").contains("epochs")
                .contains("the driver's log: yarn logs -applicationId application_");
        assertThat(cluster().applicationMasterAttempts(refused.output())).as("ApplicationMaster attempts").isEqualTo(1);
        assertThat(ClusterRuns.records(HISTORY, "nightly")).extracting(HistoryRecord::round).containsExactly(0, 0);

        // the next night continues the search for two rounds (search.max-rounds = 3 in all): an executor
        // container is killed while a child of round 1 trains, then the driver is lost: the
        // ApplicationMaster's container is killed mid-round 2 and YARN's second attempt resumes the
        // search from its checkpoint
        long t1 = System.nanoTime();
        Launch second = submitYarn("search-2", search(2, "--set", "search.max-rounds=3"));
        LocalCluster.kill(cluster().awaitExecutor(l -> l.contains("of search nightly round 1 "), RUN_LIMIT));
        cluster().awaitExecutor(l -> l.contains("of search nightly round 2 "), RUN_LIMIT);
        List<ProcessHandle> masters = cluster().applicationMasters();
        assertThat(masters).hasSize(1);
        // the driver's need, measured: its process's peak so far, two nights in (the default container
        // is 1g of heap + 1g of overhead, which YARN's memory check enforces)
        long driverPeak = LocalCluster.peakRssMib(masters.get(0));
        System.out.printf("YARN driver (ApplicationMaster) peak RSS after one night and a half: %d MiB%n", driverPeak);
        assertThat(driverPeak).isLessThan(2048);
        LocalCluster.kill(masters.get(0));
        assertThat(second.await(RUN_LIMIT)).as(second.describe()).isZero();
        System.out.printf("YARN search, second night with a container and the ApplicationMaster killed: %.1f s%n",
                (System.nanoTime() - t1) / 1e9);
        List<HistoryRecord> rows = ClusterRuns.records(HISTORY, "nightly");
        assertThat(rows).extracting(r -> r.round() + "/" + r.childIndex())
                .as("each child exactly once").containsExactly("0/0", "0/1", "1/0", "1/1", "2/0", "2/1");
        assertThat(rows.stream().filter(r -> r.round() == 1).mapToInt(HistoryRecord::attempt).max().orElse(0))
                .as("the killed child's task ran again").isGreaterThanOrEqualTo(1);
        assertThat(rows).extracting(HistoryRecord::slots).as("both executors took children").containsOnly(2);

        // the controller learned from each child of the three nights once: replayed from the table's rows,
        // it samples exactly the table's architectures and ends in the checkpointed state
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < TINY.size(); i += 2) {
            sets.add(TINY.get(i));
        }
        Replay.assertControllerMatchesTable(SearchConfig.load(new java.io.File("conf/yarn.conf"), sets),
                new HistoryTable(ClusterRuns.spark(), HISTORY), ClusterExtension.hadoopConf());

        // the best cell, trained data-parallel (dl4j-spark parameter averaging) on the two executors
        String best = rows.stream().filter(r -> r.status() == Status.OK)
                .max(java.util.Comparator.comparingDouble(HistoryRecord::reward)).orElseThrow().archId();
        long t2 = System.nanoTime();
        Launch train = submitYarn("train", List.of("train", "--genotype", best, "--distributed", "--workers", "2",
                "--n", "1", "--f", "4", "--epochs", "1", "--run-id", "yarn-it",
                "--set", "data.path=hdfs://" + ClusterExtension.DATA, "--set", "data.format=idx",
                "--set", "data.validation=0.1", "--set", "data.train-limit=512", "--set", "train.aux-weight=0"),
                "EXECUTOR_MEMORY", "1g", "EXECUTOR_OFFHEAP", "1g");
        assertThat(train.await(RUN_LIMIT)).as(train.describe()).isZero();
        System.out.printf("YARN distributed training: %.1f s%n", (System.nanoTime() - t2) / 1e9);
        assertThat(ClusterExtension.hdfs().exists(new Path("/nasnet/train/yarn-it/model.zip"))).isTrue();
        Row r = new FinalTable(ClusterRuns.spark(), "hdfs:///nasnet/final").all().first();
        assertThat(r.<String>getAs("arch_id")).isEqualTo(best);
        assertThat(r.<Boolean>getAs("distributed")).isTrue();
        assertThat(r.<Integer>getAs("workers")).isEqualTo(2);
        assertThat(r.<Double>getAs("test_accuracy")).isBetween(0.0, 1.0);
        // the driver ran in the ApplicationMaster's container, the replicas on both executors
        String driverLog = java.nio.file.Files.readString(cluster().applicationMasterLog(train.output()));
        assertThat(driverLog).contains("Finished task").contains("(executor 1)").contains("(executor 2)");

        // its model, exported by the cluster jar with Spark's own protobuf-java, loads in ONNX Runtime
        String model = cluster().hdfsUri() + "/nasnet/train/yarn-it/model.zip";
        java.nio.file.Path onnx = cluster().dir().resolve("model.onnx");
        Launch export = Launch.start(List.of("jobs/submit-local.sh", "export", "--model", model, "--out", onnx.toString()),
                cluster().environment(), cluster().dir().resolve("logs/export.log"));
        assertThat(export.await(RUN_LIMIT)).as(export.describe()).isZero();
        try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment()
                .createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("nasnet.arch_id", best);
            assertThat(session.getInputInfo().get("input").getInfo().toString()).contains("shape=[-1, 1, 28, 28]");
        }
    }
}
