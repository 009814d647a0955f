package io.nasnet.search;

import io.nasnet.config.ConfigException;
import io.nasnet.data.Datasets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * What can be checked before any Spark job trains a child: the whole dataset reads and is well
 * formed, the rungs fit its steps, and the table and checkpoint folders are writable. A failure is a
 * configuration error naming the key.
 */
public final class Preflight {

    private Preflight() {
    }

    /** Checks {@code config}; returns the dataset's checksum, for the rows. */
    public static String check(SearchConfig config, Configuration hadoop) {
        requireWritable("nasnet.history.path", config.historyPath(), hadoop);
        requireWritable("nasnet.checkpoint.path", config.checkpointPath(), hadoop);
        String checksum;
        try {
            checksum = Datasets.check(config.data());
        } catch (RuntimeException e) {
            throw new ConfigException("nasnet.data.path: " + e.getMessage(), e);
        }
        if (config.rungs().on()) {
            try {
                config.rungs().boundaries(config.child().steps(Datasets.cached(config.data()).train().size()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("nasnet." + e.getMessage(), e);
            }
        }
        return checksum;
    }

    private static void requireWritable(String key, String dir, Configuration hadoop) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(hadoop);
            Path probe = new Path(p.getParent() == null ? p : p.getParent(), ".nasnet-write-probe-" + System.nanoTime());
            fs.mkdirs(probe.getParent());
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key + ": cannot write under " + dir + " (" + e.getMessage() + ")", e);
        }
    }
}
