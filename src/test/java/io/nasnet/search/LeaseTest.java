package io.nasnet.search;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nasnet.Poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One driver per search: the lease file next to the checkpoint. */
class LeaseTest {

    static final Configuration HADOOP = new Configuration();
    static final Clock NOW = Clock.systemUTC();

    @Test
    void aSecondDriverIsRefusedNamingTheHolderUntilTheLeaseIsReleased(@TempDir java.nio.file.Path dir) throws Exception {
        String ckpt = dir.toString();
        try (Lease first = Lease.acquire(ckpt, "s", "app-1", Duration.ofMinutes(10), HADOOP, NOW)) {
            assertThat(first.held()).isTrue();
            assertThatThrownBy(() -> Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP, NOW))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("search s is being run by host")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("Spark application app-1");
            try (Lease other = Lease.acquire(ckpt, "other", "app-2", Duration.ofMinutes(10), HADOOP, NOW)) {
                assertThat(other.held()).as("another search's lease").isTrue();
            }
        }
        assertThat(new java.io.File(dir.toFile(), "s.lease")).as("released").doesNotExist();
        try (Lease again = Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP, NOW)) {
            assertThat(again.held()).isTrue();
        }
    }

    @Test
    void aDriverStartedAtTheSameMomentWaitsForTheHoldersNameToBeWritten(@TempDir java.nio.file.Path dir)
            throws Exception {
        // the holder has created the file but not yet written it
        java.nio.file.Path file = java.nio.file.Files.createFile(dir.resolve("s.lease"));
        Thread acquiring = Thread.currentThread();
        Thread writer = new Thread(() -> {
            try {
                // once the second driver waits for the name
                Poll.until("the second driver to wait", Duration.ofSeconds(10),
                        () -> acquiring.getState() == Thread.State.TIMED_WAITING);
                java.nio.file.Files.writeString(file, "token=t\nhost=h1\npid=42\napplication=app-1\nstarted=now\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThatThrownBy(() -> Lease.acquire(dir.toString(), "s", "app-2", Duration.ofMinutes(10), HADOOP, NOW))
                .hasMessageContaining("search s is being run by host h1 pid 42 (Spark application app-1");
        writer.join();
    }

    @Test
    void aLeaseNotRenewedWithinItsTtlOrHeldByAnEarlierAttemptIsTakenOver(@TempDir java.nio.file.Path dir)
            throws Exception {
        String ckpt = dir.toString();
        Clock then = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Lease stale = Lease.acquire(ckpt, "s", "app-1", Duration.ofMinutes(10), HADOOP, then);
        stale.stopRenewing();   // as a driver killed then leaves it
        Clock almost = Clock.offset(then, Duration.ofMinutes(9));
        assertThatThrownBy(() -> Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP, almost))
                .hasMessageContaining("renewed 540 s ago");
        Clock later = Clock.offset(then, Duration.ofMinutes(11));
        try (Lease taken = Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP, later)) {
            assertThat(taken.held()).isTrue();
            assertThat(stale.held()).as("the old holder sees it lost the lease").isFalse();
            // YARN's second attempt of the same application takes it at once
            try (Lease attempt2 = Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP, later)) {
                assertThat(attempt2.held()).isTrue();
                assertThat(taken.held()).isFalse();
            }
        }
        stale.close();
    }

    @Test
    void aHeldLeaseIsRenewedEveryThirdOfItsTtlWithItsClocksTime(@TempDir java.nio.file.Path dir) throws Exception {
        Path file = Lease.file(dir.toString(), "s");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (Lease lease = Lease.acquire(dir.toString(), "s", "app", Duration.ofSeconds(3), HADOOP,
                Clock.fixed(t, ZoneOffset.UTC))) {
            FileSystem fs = file.getFileSystem(HADOOP);
            assertThat(fs.getFileStatus(file).getModificationTime()).as("taken at the clock's time").isEqualTo(t.toEpochMilli());
            fs.setTimes(file, t.toEpochMilli() - 60_000, -1);
            Poll.until("the lease's renewal (every 1 s)", Duration.ofSeconds(10),
                    () -> modified(fs, file) == t.toEpochMilli());
            assertThat(lease.held()).isTrue();
        }
    }

    private static long modified(FileSystem fs, Path file) {
        try {
            return fs.getFileStatus(file).getModificationTime();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
