package io.nasnet.cluster;

import io.nasnet.history.HistoryRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drivers of one search as separate processes, through {@code jobs/submit-local.sh} (spark-submit,
 * local mode), on one table and checkpoint folder: two started together, and a driver killed with
 * SIGKILL whose lease a later run takes over once {@code search.lease-ttl} has passed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneDriverPerSearchIT {

    static final Duration LIMIT = Duration.ofMinutes(5);
    static final String TTL = "30s";
    @TempDir
    static Path dir;
    static List<HistoryRecord> together;

    /** A search of two rounds (search.max-rounds) of three tiny children of the shipped data, table and checkpoints under {@code base}. */
    static Launch search(Path base, String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jobs/submit-local.sh", "search", "--conf", "conf/local.conf",
                "--search-id", "s", "--rounds", "2", "--set", "search.population=3", "--set", "child.f=4",
                "--set", "data.train-limit=256", "--set", "search.max-rounds=2", "--set", "search.lease-ttl=" + TTL,
                "--set", "history.path=" + base.resolve("history"), "--set", "checkpoint.path=" + base.resolve("ckpt")));
        return Launch.start(cmd, Map.of(), dir.resolve("logs/" + name + ".log"));
    }

    static List<HistoryRecord> records(Path base) {
        return new io.nasnet.history.HistoryTable(io.nasnet.TestSpark.local("drivers"),
                base.resolve("history").toUri().toString()).records("s");
    }

    @Test
    @Order(1)
    void twoDriversStartedTogetherRunTheSearchOnce() throws Exception {
        Path base = dir.resolve("together");
        Launch a = search(base, "a");
        Launch b = search(base, "b");
        int codeA = a.await(LIMIT);
        int codeB = b.await(LIMIT);
        assertThat(List.of(codeA, codeB)).as("%s%n%s", a.describe(), b.describe()).containsExactlyInAnyOrder(0, 1);
        Launch winner = codeA == 0 ? a : b;
        Launch loser = codeA == 0 ? b : a;
        assertThat(loser.output()).contains("error: search s is being run by host ")
                .contains(" pid " + winner.process().pid() + " (Spark application local-");
        together = records(base);
        assertThat(together).extracting(r -> r.round() + "/" + r.childIndex())
                .containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        assertThat(base.resolve("ckpt/s.lease")).as("released at the end").doesNotExist();
    }

    @Test
    @Order(2)
    void aKilledDriversLeaseIsTakenOverAfterItsTtlAndTheSearchResumes() throws Exception {
        assertThat(together).as("the search of the test before").isNotNull();
        Path base = dir.resolve("killed");
        Launch a = search(base, "killed");
        Path ckpt = base.resolve("ckpt/s.ckpt");
        Instant until = Instant.now().plus(LIMIT);
        while (!Files.exists(ckpt) && a.process().isAlive() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(ckpt).as(a.describe()).exists();
        a.process().destroyForcibly();
        a.process().waitFor();
        Path lease = base.resolve("ckpt/s.lease");
        assertThat(lease).as("left behind by the killed driver").exists();

        Launch early = search(base, "early");
        assertThat(early.await(LIMIT)).as(early.describe()).isEqualTo(1);
        assertThat(early.output()).contains("is being run by host ").contains(" pid " + a.process().pid() + " ")
                .contains("it to expire after search.lease-ttl = 30 s");

        Instant stale = Files.getLastModifiedTime(lease).toInstant().plus(Duration.parse("PT" + TTL));
        while (Instant.now().isBefore(stale.plusSeconds(1))) {
            Thread.sleep(200);
        }
        Launch later = search(base, "later");
        assertThat(later.await(LIMIT)).as(later.describe()).isZero();
        assertThat(later.output()).contains("taking over the lease of host ").contains("pid " + a.process().pid())
                .containsPattern("search s: continuing after round [0-9]");
        List<HistoryRecord> rows = records(base);
        assertThat(later.output()).contains("the search is complete (search.max-rounds = 2)");
        assertThat(ClusterRuns.outcomes(rows)).as("as the undisturbed search of the test before")
                .containsExactlyElementsOf(ClusterRuns.outcomes(together));
    }
}
