package io.nasnet.search;

import io.nasnet.data.AtomicFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Path;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * The strategy's state after a completed round, one file per search id on any Hadoop FileSystem,
 * replaced atomically ({@link AtomicFile}). The file names its format version and its strategy, whose
 * registry entry reads the state; format 1 (release 0.1, no version number) is still read.
 */
final class Checkpoints {

    private static final int MAGIC_FORMAT_1 = 0x4E41534B; // "NASK": round, strategy, state
    private static final int MAGIC = 0x4E415346; // "NASF": format version, round, strategy, state
    static final int FORMAT = 2;

    /** A saved state: the last completed round and the strategy's bytes. */
    record Saved(int round, String strategy, byte[] state) {
    }

    private final Path dir;
    private final Configuration hadoop;

    Checkpoints(String dir, Configuration hadoop) {
        this.dir = new Path(dir);
        this.hadoop = hadoop;
    }

    Path file(String searchId) {
        return new Path(dir, searchId + ".ckpt");
    }

    void save(String searchId, Saved saved) throws IOException {
        AtomicFile.write(file(searchId), hadoop, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(saved.round());
            out.writeUTF(saved.strategy());
            out.writeInt(saved.state().length);
            out.write(saved.state());
            out.flush();
        });
    }

    Optional<Saved> load(String searchId) throws IOException {
        Path f = AtomicFile.qualified(file(searchId), hadoop);
        FileContext fc = FileContext.getFileContext(f.toUri(), hadoop);
        if (!fc.util().exists(f)) {
            return Optional.empty();
        }
        try (FSDataInputStream raw = fc.open(f); DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            if (magic == MAGIC) {
                int format = in.readInt();
                if (format != FORMAT) {
                    throw new IOException(f + " is a search checkpoint of format " + format + "; this release reads "
                            + "formats 1 and " + FORMAT + " (a newer nasnet-spark wrote it: continue the search with "
                            + "that release, or start a new search id)");
                }
            } else if (magic != MAGIC_FORMAT_1) {
                throw new IOException(f + " is not a search checkpoint (bad magic number)");
            }
            int round = in.readInt();
            String strategy = in.readUTF();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            return Optional.of(new Saved(round, strategy, state));
        } catch (java.io.EOFException e) {
            throw new IOException(f + " is truncated", e);
        }
    }
}
