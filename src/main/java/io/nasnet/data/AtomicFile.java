package io.nasnet.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;

/**
 * A file on any Hadoop FileSystem replaced all at once: written to a temporary file beside it, then
 * renamed over it, so a crash leaves the old file or the new one, never half of one. Checkpoints
 * are written this way.
 */
public final class AtomicFile {

    /** Writes the content to a stream; the stream is closed by the caller. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path file, Configuration hadoop, Writer writer) throws IOException {
        Path target = qualified(file, hadoop);
        FileContext fc = FileContext.getFileContext(target.toUri(), hadoop);
        Path dir = target.getParent();
        fc.mkdir(dir, null, true);
        Path tmp = new Path(dir, "." + target.getName() + "." + System.nanoTime() + ".tmp");
        try (FSDataOutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE))) {
            writer.write(out);
        } catch (IOException | RuntimeException e) {
            fc.delete(tmp, false);
            throw e;
        }
        fc.rename(tmp, target, Options.Rename.OVERWRITE);
    }

    /**
     * The path with the scheme and authority of its FileSystem filled in ({@code hdfs:///x} becomes
     * {@code hdfs://namenode:8020/x}, as fs.defaultFS says), which FileContext needs.
     */
    public static Path qualified(Path p, Configuration hadoop) throws IOException {
        return p.getFileSystem(hadoop).makeQualified(p);
    }
}
