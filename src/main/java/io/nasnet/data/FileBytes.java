package io.nasnet.data;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Whole files read through Hadoop's FileSystem, gunzipped when they are gzip files. */
final class FileBytes {

    private FileBytes() {
    }

    static boolean exists(Path path) {
        try {
            return path.getFileSystem(TaskHadoop.conf()).exists(path);
        } catch (IOException e) {
            throw new DatasetException("cannot reach " + path + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the file's bytes as stored (compressed or not), in hex. */
    static String sha256(Path path) {
        try (InputStream in = path.getFileSystem(TaskHadoop.conf()).open(path)) {
            return org.apache.commons.codec.digest.DigestUtils.sha256Hex(in);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The first {@code n} bytes of the file (gunzipped), or fewer when it is shorter. */
    static byte[] head(Path path, int n) {
        try {
            FileSystem fs = path.getFileSystem(TaskHadoop.conf());
            try (InputStream raw = new BufferedInputStream(fs.open(path))) {
                return gunzipped(raw).readNBytes(n);
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream gunzipped(InputStream raw) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    static byte[] read(Path path) {
        try {
            FileSystem fs = path.getFileSystem(TaskHadoop.conf());
            try (InputStream raw = new BufferedInputStream(fs.open(path))) {
                InputStream in = gunzipped(raw);
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                in.transferTo(out);
                return out.toByteArray();
            }
        } catch (java.io.EOFException e) {
            throw new DatasetException(path + ": truncated gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
