package io.nasnet.cluster;

import io.nasnet.TestSpark;
import io.nasnet.cli.Main;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drivers of one search as separate processes, through {@code jobs/submit-local.sh} (spark-submit,
 * local mode), on one table and checkpoint folder: two started together, one runs and the other
 * exits naming it; the one that runs killed with SIGKILL mid-search; a run started at once is
 * refused, one started once {@code search.lease-ttl} has passed takes the lease over, continues,
 * and ends with the rows of an undisturbed run.
 */
class OneDriverPerSearchIT {

    static final Duration LIMIT = Duration.ofMinutes(5);
    static final String TTL = "30s";
    @TempDir
    static Path dir;

    /**
     * A search of two rounds (search.max-rounds) of three tiny children of the shipped data, under
     * {@code base} (file: URIs: in this JVM the cluster tests' session defaults to their HDFS).
     */
    static List<String> args(Path base) {
        return List.of("search", "--conf", "conf/local.conf", "--search-id", "s", "--rounds", "2",
                "--set", "search.population=3", "--set", "child.f=4", "--set", "data.train-limit=256",
                "--set", "search.max-rounds=2", "--set", "search.lease-ttl=" + TTL,
                "--set", "history.path=" + base.resolve("history").toUri(),
                "--set", "checkpoint.path=" + base.resolve("ckpt").toUri());
    }

    static Launch driver(Path base, String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jobs/submit-local.sh"));
        cmd.addAll(args(base));
        return Launch.start(cmd, Map.of(), dir.resolve("logs/" + name + ".log"));
    }

    static List<HistoryRecord> records(Path base) {
        return new HistoryTable(TestSpark.local(), base.resolve("history").toUri().toString()).records("s");
    }

    @Test
    void oneDriverRunsASearchAndAKilledDriversLeaseIsTakenOverAfterItsTtl() throws Exception {
        Path base = dir.resolve("search");
        Launch a = driver(base, "a");
        Launch b = driver(base, "b");
        Path ckpt = base.resolve("ckpt/s.ckpt");
        Path lease = base.resolve("ckpt/s.lease");
        io.nasnet.Poll.within(LIMIT, () -> Files.exists(ckpt) || !(a.process().isAlive() || b.process().isAlive()));
        assertThat(ckpt).as("%s%n%s", a.describe(), b.describe()).exists();
        // the holder, killed with SIGKILL once its first round is checkpointed
        Properties holder = new Properties();
        try (var in = Files.newInputStream(lease)) {
            holder.load(in);
        }
        Launch winner = String.valueOf(a.process().pid()).equals(holder.getProperty("pid")) ? a : b;
        Launch loser = winner == a ? b : a;
        winner.process().destroyForcibly();
        winner.process().waitFor();
        assertThat(loser.await(LIMIT)).as(loser.describe()).isEqualTo(1);
        assertThat(loser.output()).contains("error: search s is being run by host ")
                .contains(" pid " + winner.process().pid() + " (Spark application local-");
        assertThat(lease).as("left behind by the killed driver").exists();

        Launch early = driver(base, "early");
        assertThat(early.await(LIMIT)).as(early.describe()).isEqualTo(1);
        assertThat(early.output()).contains("is being run by host ").contains(" pid " + winner.process().pid() + " ")
                .contains("it to expire after search.lease-ttl = 30 s");

        Instant stale = Files.getLastModifiedTime(lease).toInstant().plus(Duration.parse("PT" + TTL));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), stale.plusSeconds(1)).toMillis()));
        Launch later = driver(base, "later");
        assertThat(later.await(LIMIT)).as(later.describe()).isZero();
        assertThat(later.output()).contains("taking over the lease of host ").contains("pid " + winner.process().pid())
                .containsPattern("search s: continuing after round [0-9]")
                .contains("the search is complete (search.max-rounds = 2)");
        assertThat(lease).as("released at the end").doesNotExist();

        // the same search undisturbed, in this JVM
        Path quiet = dir.resolve("undisturbed");
        StringWriter out = new StringWriter();
        TestSpark.local();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(out), args(quiet).toArray(String[]::new)))
                .as("%s", out).isZero();
        List<HistoryRecord> rows = records(base);
        assertThat(rows).extracting(r -> r.round() + "/" + r.childIndex())
                .containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        assertThat(ClusterRuns.outcomes(rows)).containsExactlyElementsOf(ClusterRuns.outcomes(records(quiet)));
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(Files.readAllBytes(quiet.resolve("ckpt/s.ckpt")));
    }
}
