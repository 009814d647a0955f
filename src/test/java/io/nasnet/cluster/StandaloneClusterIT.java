package io.nasnet.cluster;

import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.HistoryViews;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.nasnet.cluster.ClusterExtension.cluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search through spark-submit on Spark standalone (a Master, two Workers of one core, real
 * executor JVMs), dataset, history table and checkpoints on HDFS: it writes the table a local-mode
 * run writes, speculative copies of children and losing executors or a whole Worker mid-round
 * change nothing.
 */
@ExtendWith(ClusterExtension.class)
class StandaloneClusterIT {

    static final String HISTORY = "hdfs:///nasnet/standalone/history";
    static final String CHECKPOINTS = "hdfs:///nasnet/standalone/checkpoints";
    static final Duration RUN_LIMIT = Duration.ofMinutes(6);

    /** Two rounds of three tiny children (N = 1, F = 4, 256 images, one epoch). */
    static List<String> search(String id, String data, String history, String checkpoints) {
        return List.of("search", "--conf", "conf/local.conf", "--search-id", id, "--rounds", "2",
                "--set", "search.population=3", "--set", "child.f=4", "--set", "data.train-limit=256",
                "--set", "data.path=" + data, "--set", "history.path=" + history,
                "--set", "checkpoint.path=" + checkpoints);
    }

    static Launch submit(String id, Path log, String... conf) throws Exception {
        LocalCluster c = cluster();
        List<String> cmd = new ArrayList<>(List.of(c.sparkSubmit().toString(), "--master", c.masterUrl(),
                "--driver-memory", "1g", "--executor-memory", "1500m", "--conf", "spark.executor.cores=1",
                "--conf", "spark.task.cpus=1", "--conf", "spark.ui.enabled=false",
                "--class", "io.nasnet.cli.Main"));
        for (String kv : conf) {
            cmd.addAll(List.of("--conf", kv));
        }
        cmd.add("target/nasnet-spark-cluster.jar");
        cmd.addAll(search(id, "hdfs://" + ClusterExtension.DATA, HISTORY, CHECKPOINTS));
        return Launch.start(cmd, c.environment(), log);
    }

    /** The same search in this JVM (local[2], table and checkpoint on local disk): what every cluster run must write. */
    static List<HistoryRecord> reference;
    static byte[] referenceCheckpoint;

    @BeforeAll
    static void referenceRunInLocalMode(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        String localHistory = tmp.resolve("history").toUri().toString();
        String localCheckpoints = tmp.resolve("checkpoints").toUri().toString();
        ClusterRuns.runLocally(search("standalone", cluster().hdfsUri() + ClusterExtension.DATA, localHistory,
                localCheckpoints));
        System.out.printf("the search in local mode: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        reference = ClusterRuns.records(localHistory, "standalone");
        referenceCheckpoint = ClusterRuns.checkpoint(localCheckpoints, "standalone");
    }

    @Test
    void theClusterWritesTheTableOfLocalModeEvenWithSpeculativeCopies() throws Exception {
        long t0 = System.nanoTime();
        // speculation: a copy of the last running child of a round on the idle executor as soon as it
        // has run a quarter as long as the finished ones took; Spark keeps the first copy to finish
        Launch run = submit("standalone", cluster().dir().resolve("logs/standalone-search.log"),
                "spark.speculation=true", "spark.speculation.interval=200ms", "spark.speculation.quantile=0.3",
                "spark.speculation.multiplier=0.25", "spark.speculation.minTaskRuntime=1s");
        assertThat(run.await(RUN_LIMIT)).as(run.describe()).isZero();
        System.out.printf("standalone search (2 rounds of 3, speculation on): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        long copies = 0;
        for (Path log : cluster().standaloneExecutorLogs()) {
            copies += java.nio.file.Files.readAllLines(log).stream()
                    .filter(l -> l.contains("of search standalone round ") && l.contains("(task attempt 1)")).count();
        }
        System.out.printf("speculative copies of children: %d%n", copies);
        assertThat(copies).as("children that Spark ran twice at once").isPositive();
        List<HistoryRecord> rows = ClusterRuns.records(HISTORY, "standalone");
        assertThat(rows).extracting(r -> r.round() + "/" + r.childIndex())
                .as("each child exactly once").containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        assertThat(rows).extracting(HistoryRecord::status).isSubsetOf(Status.OK, Status.CACHED);
        assertThat(ClusterRuns.outcomes(rows)).containsExactlyElementsOf(ClusterRuns.outcomes(reference));
        assertThat(ClusterRuns.checkpoint(CHECKPOINTS, "standalone")).isEqualTo(referenceCheckpoint);

        // executor utilization per round: two slots (two one-core executors)
        HistoryViews.register(ClusterRuns.spark(), new HistoryTable(ClusterRuns.spark(), HISTORY));
        List<Row> rounds = ClusterRuns.spark().sql("SELECT round, slots, busy_seconds, wall_seconds, "
                + "utilization FROM nas_rounds WHERE search_id = 'standalone' ORDER BY round").collectAsList();
        rounds.forEach(r -> System.out.printf("standalone round %d: %d slots, %.1f busy slot-s over %.1f s, "
                + "utilization %.2f%n", r.getInt(0), r.getInt(1), r.getDouble(2), r.getDouble(3), r.getDouble(4)));
        assertThat(rounds).hasSize(2).allSatisfy(r -> {
            assertThat(r.getInt(1)).isEqualTo(2);
            assertThat(r.getDouble(4)).isGreaterThan(0.2).isLessThanOrEqualTo(1.0);
        });
    }

    @Test
    void executorsAndAWorkerLostMidRoundChangeNothing() throws Exception {
        long t0 = System.nanoTime();
        Launch run = submit("disturbed", cluster().dir().resolve("logs/disturbed-search.log"));
        // round 0: an executor dies while a child trains
        ProcessHandle executor = cluster().awaitExecutor(l -> l.contains("of search disturbed round 0 "), RUN_LIMIT);
        LocalCluster.kill(executor);
        // round 1: a whole machine goes, Worker and executor; it comes back later
        ProcessHandle next = cluster().awaitExecutor(l -> l.contains("of search disturbed round 1 "), RUN_LIMIT);
        int worker = cluster().workerOf(next);
        cluster().killWorker(worker);
        cluster().startWorker(worker);
        assertThat(run.await(RUN_LIMIT)).as(run.describe()).isZero();
        System.out.printf("standalone search with an executor and a worker killed: %.1f s%n",
                (System.nanoTime() - t0) / 1e9);

        List<HistoryRecord> rows = ClusterRuns.records(HISTORY, "disturbed");
        assertThat(rows).extracting(r -> r.round() + "/" + r.childIndex())
                .as("each child exactly once").containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        assertThat(ClusterRuns.outcomes(rows)).containsExactlyElementsOf(ClusterRuns.outcomes(reference));
        assertThat(ClusterRuns.checkpoint(CHECKPOINTS, "disturbed")).isEqualTo(referenceCheckpoint);
        // the lost children were trained again by a second task attempt, one in each round
        assertThat(Stream.of(0, 1).map(round -> rows.stream().filter(r -> r.round() == round)
                .mapToInt(HistoryRecord::attempt).max().orElse(0))).allMatch(a -> a >= 1);
        assertThat(run.output()).contains("Lost executor");
    }
}
