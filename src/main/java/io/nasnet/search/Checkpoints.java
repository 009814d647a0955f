package io.nasnet.search;

import io.nasnet.data.AtomicFile;
import io.nasnet.engine.StrategyStates;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Path;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The strategy's state after a completed round, one file per search id on any Hadoop FileSystem,
 * replaced atomically ({@link AtomicFile}), with the fingerprint of the search space it was saved in.
 * The file names its format version and its strategy, whose registry entry reads the state; formats 1
 * (release 0.1, no version number) and 2 (no fingerprint) are still read. Held by a run under its
 * {@link Lease}, a save is refused once another driver took the search over; once a round's state is
 * saved, the folder of its rungs ({@link RungFiles}) goes.
 */
final class Checkpoints implements StrategyStates {

    private static final int MAGIC_FORMAT_1 = 0x4E41534B; // "NASK": round, strategy, state
    private static final int MAGIC = 0x4E415346; // "NASF": format version, round, strategy, [space,] state
    static final int FORMAT = 3;

    private final String dir;
    private final Configuration hadoop;
    private final Lease lease;

    /** Reads the checkpoints under {@code dir}; saves unguarded (a test's, a tool's). */
    Checkpoints(String dir, Configuration hadoop) {
        this(dir, hadoop, null);
    }

    private Checkpoints(String dir, Configuration hadoop, Lease lease) {
        this.dir = dir;
        this.hadoop = hadoop;
        this.lease = lease;
    }

    /** The same checkpoints, each save first checking that this run still holds {@code lease}. */
    Checkpoints guardedBy(Lease lease) {
        return new Checkpoints(dir, hadoop, lease);
    }

    Path file(String searchId) {
        return new Path(dir, searchId + ".ckpt");
    }

    @Override
    public String where(String searchId) {
        return file(searchId).toString();
    }

    @Override
    public String rungDir(String searchId, int round) {
        try {
            return AtomicFile.qualified(RungFiles.roundDir(dir, searchId, round), hadoop).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the rungs' folder under " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(String searchId, Saved saved) throws IOException {
        if (lease != null && !lease.held()) {
            throw new IllegalStateException("search " + searchId + " round " + saved.round() + ": another driver took "
                    + "over the lease " + Lease.file(dir, searchId) + "; this run stops without its checkpoint");
        }
        AtomicFile.write(file(searchId), hadoop, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(saved.round());
            out.writeUTF(saved.strategy());
            out.writeUTF(saved.space());
            out.writeInt(saved.state().length);
            out.write(saved.state());
            out.flush();
        });
        Path rungs = RungFiles.roundDir(dir, searchId, saved.round());
        rungs.getFileSystem(hadoop).delete(rungs, true);
    }

    @Override
    public Optional<Saved> load(String searchId) throws IOException {
        Path f = AtomicFile.qualified(file(searchId), hadoop);
        FileContext fc = FileContext.getFileContext(f.toUri(), hadoop);
        if (!fc.util().exists(f)) {
            return Optional.empty();
        }
        try (FSDataInputStream raw = fc.open(f); DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            int format = 1;
            if (magic == MAGIC) {
                format = in.readInt();
                if (format != 2 && format != FORMAT) {
                    throw new IOException(f + " is a search checkpoint of format " + format + "; this release reads "
                            + "formats 1 to " + FORMAT + " (a newer nasnet-spark wrote it: continue the search with "
                            + "that release, or start a new search id)");
                }
            } else if (magic != MAGIC_FORMAT_1) {
                throw new IOException(f + " is not a search checkpoint (bad magic number)");
            }
            int round = in.readInt();
            String strategy = in.readUTF();
            String space = format >= 3 ? in.readUTF() : null;
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            return Optional.of(new Saved(round, strategy, space, state));
        } catch (java.io.EOFException e) {
            throw new IOException(f + " is truncated", e);
        }
    }
}
