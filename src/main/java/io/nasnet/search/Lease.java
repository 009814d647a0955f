package io.nasnet.search;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One driver per search: a file next to the search's checkpoint, created without overwrite (atomic
 * on HDFS; on a local FileSystem a create checks and creates in one call, good for one machine; on
 * object stores without conditional writes, S3A among them, two drivers started within the same
 * second may both get it), holding host, pid, Spark application id and start time, rewritten every
 * third of its TTL while the search runs. A second driver fails naming the holder; a lease not
 * renewed within its TTL (a driver killed without cleaning up) is taken over with a warning, and one
 * held by an earlier attempt of the same Spark application (YARN re-running a lost ApplicationMaster)
 * at once.
 */
final class Lease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Lease.class);

    private final FileSystem fs;
    private final Path file;
    private final String token;
    private final ScheduledExecutorService renewer;
    private final Clock clock;

    private Lease(FileSystem fs, Path file, String token, Duration ttl, Clock clock) {
        this.clock = clock;
        this.fs = fs;
        this.file = file;
        this.token = token;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nasnet-lease-" + file.getName());
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, ttl.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** The lease file of a search. */
    static Path file(String checkpointDir, String searchId) {
        return new Path(checkpointDir, searchId + ".lease");
    }

    /** Takes the search's lease for this driver, or fails naming who holds it. */
    static Lease acquire(String checkpointDir, String searchId, String applicationId, Duration ttl,
                         Configuration hadoop, Clock clock) throws IOException {
        Path file = file(checkpointDir, searchId);
        FileSystem fs = file.getFileSystem(hadoop);
        fs.mkdirs(file.getParent());
        String token = java.util.UUID.randomUUID().toString();
        Properties me = new Properties();
        me.setProperty("token", token);
        me.setProperty("host", io.nasnet.child.runtime.Backend.host());
        me.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
        me.setProperty("application", applicationId);
        me.setProperty("started", clock.instant().toString());
        if (!create(fs, file, me, clock)) {
            Properties holder = written(fs, file);
            Duration age = age(fs, file, clock);
            boolean sameApplication = applicationId.equals(holder.getProperty("application"));
            if (!sameApplication && age.compareTo(ttl) < 0) {
                throw new IllegalStateException("search " + searchId + " is being run by " + describe(holder)
                        + " (lease " + file + ", renewed " + age.toSeconds() + " s ago); a driver that died leaves "
                        + "it to expire after search.lease-ttl = " + ttl.toSeconds() + " s");
            }
            LOG.warn("search {}: taking over the lease of {} ({})", searchId, describe(holder), sameApplication
                    ? "an earlier attempt of this application" : "not renewed for " + age.toSeconds() + " s");
            fs.delete(file, false);
            if (!create(fs, file, me, clock)) {
                throw new IllegalStateException("search " + searchId + ": another driver took the lease " + file
                        + " at the same time: " + describe(written(fs, file)));
            }
        }
        return new Lease(fs, file, token, ttl, clock);
    }

    /** Who holds a search's lease, for {@code nasnet check}: {@code live} while renewed within its TTL. */
    record State(String describe, boolean live) {
    }

    static State inspect(String checkpointDir, String searchId, Duration ttl, Configuration hadoop, Clock clock)
            throws IOException {
        Path file = file(checkpointDir, searchId);
        FileSystem fs = file.getFileSystem(hadoop);
        if (!fs.exists(file)) {
            return new State("free (no run of this search is going on)", false);
        }
        Duration age = age(fs, file, clock);
        String holder = describe(read(fs, file)) + ", renewed " + age.toSeconds() + " s ago";
        return age.compareTo(ttl) < 0
                ? new State("held by " + holder + ": a run is going on", true)
                : new State("left by " + holder + ", longer than search.lease-ttl = " + ttl.toSeconds()
                + " s: its driver died; the next run takes it over", false);
    }

    /** Since the lease was last renewed, by the lease's clock (renewals write their time as the file's). */
    private static Duration age(FileSystem fs, Path file, Clock clock) throws IOException {
        return Duration.between(Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime()), clock.instant());
    }

    private static boolean create(FileSystem fs, Path file, Properties content, Clock clock) throws IOException {
        try (FSDataOutputStream out = fs.create(file, false)) {
            content.store(out, "nasnet-spark search lease");
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false;
            }
            throw e;
        }
        fs.setTimes(file, clock.millis(), -1);
        return true;
    }

    /**
     * The holder's properties, waiting up to 5 s for them: a driver that created the file a moment
     * ago may not have written it yet.
     */
    private static Properties written(FileSystem fs, Path file) throws IOException {
        Properties holder = read(fs, file);
        for (int i = 0; i < 50 && holder.getProperty("token") == null; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            holder = read(fs, file);
        }
        return holder;
    }

    private static Properties read(FileSystem fs, Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = fs.open(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
        }
        return p;
    }

    private static String describe(Properties holder) {
        return "host " + holder.getProperty("host") + " pid " + holder.getProperty("pid") + " (Spark application "
                + holder.getProperty("application") + ", since " + holder.getProperty("started") + ")";
    }

    /** Still this driver's: nobody took it over. */
    boolean held() {
        try {
            return token.equals(read(fs, file).getProperty("token"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the clock's time as the lease's, if it is still this driver's. */
    void renew() {
        try {
            if (!held()) {
                LOG.error("the lease {} was taken over by another driver; this run stops before its next checkpoint", file);
                renewer.shutdown();
                return;
            }
            fs.setTimes(file, clock.millis(), -1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot renew the lease {}: {}", file, e.toString());
        }
    }

    /** Stops renewing and leaves the lease as it is, as a driver that dies does. */
    void stopRenewing() {
        renewer.shutdownNow();
    }

    /** Stops renewing and removes the lease if it is still this driver's. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            if (held()) {
                fs.delete(file, false);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the lease {}: {}", file, e.toString());
        }
    }
}
