package io.nasnet.search;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One driver per search: the lease file next to the checkpoint. */
class LeaseTest {

    static final Configuration HADOOP = new Configuration();

    @Test
    void aSecondDriverIsRefusedNamingTheHolderUntilTheLeaseIsReleased(@TempDir java.nio.file.Path dir) throws Exception {
        String ckpt = dir.toString();
        try (Lease first = Lease.acquire(ckpt, "s", "app-1", Duration.ofMinutes(10), HADOOP)) {
            assertThat(first.held()).isTrue();
            assertThatThrownBy(() -> Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("search s is being run by host")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("Spark application app-1");
            try (Lease other = Lease.acquire(ckpt, "other", "app-2", Duration.ofMinutes(10), HADOOP)) {
                assertThat(other.held()).as("another search's lease").isTrue();
            }
        }
        assertThat(new java.io.File(dir.toFile(), "s.lease")).as("released").doesNotExist();
        try (Lease again = Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP)) {
            assertThat(again.held()).isTrue();
        }
    }

    @Test
    void aDriverStartedAtTheSameMomentWaitsForTheHoldersNameToBeWritten(@TempDir java.nio.file.Path dir)
            throws Exception {
        // the holder has created the file but not yet written it
        java.nio.file.Path file = java.nio.file.Files.createFile(dir.resolve("s.lease"));
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(300);
                java.nio.file.Files.writeString(file, "token=t\nhost=h1\npid=42\napplication=app-1\nstarted=now\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThatThrownBy(() -> Lease.acquire(dir.toString(), "s", "app-2", Duration.ofMinutes(10), HADOOP))
                .hasMessageContaining("search s is being run by host h1 pid 42 (Spark application app-1");
        writer.join();
    }

    @Test
    void aLeaseNotRenewedWithinItsTtlOrHeldByAnEarlierAttemptIsTakenOver(@TempDir java.nio.file.Path dir)
            throws Exception {
        String ckpt = dir.toString();
        Lease stale = Lease.acquire(ckpt, "s", "app-1", Duration.ofMinutes(10), HADOOP);
        Path file = Lease.file(ckpt, "s");
        FileSystem fs = file.getFileSystem(HADOOP);
        // as a driver killed 11 minutes ago left it
        fs.setTimes(file, System.currentTimeMillis() - Duration.ofMinutes(11).toMillis(), -1);
        try (Lease taken = Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP)) {
            assertThat(taken.held()).isTrue();
            assertThat(stale.held()).as("the old holder sees it lost the lease").isFalse();
            // YARN's second attempt of the same application takes it at once
            try (Lease attempt2 = Lease.acquire(ckpt, "s", "app-2", Duration.ofMinutes(10), HADOOP)) {
                assertThat(attempt2.held()).isTrue();
                assertThat(taken.held()).isFalse();
            }
        }
        stale.close();
    }

    @Test
    void aHeldLeaseIsRenewed(@TempDir java.nio.file.Path dir) throws Exception {
        Path file = Lease.file(dir.toString(), "s");
        try (Lease lease = Lease.acquire(dir.toString(), "s", "app", Duration.ofSeconds(3), HADOOP)) {
            FileSystem fs = file.getFileSystem(HADOOP);
            fs.setTimes(file, System.currentTimeMillis() - 60_000, -1);
            Thread.sleep(2_500);
            assertThat(System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime())
                    .as("renewed every third of the TTL").isLessThan(2_000);
            assertThat(lease.held()).isTrue();
        }
    }
}
