package io.nasnet.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes dataset files in the exact on-disk formats, for reader tests. */
public final class DatasetFiles {
    private DatasetFiles() {
    }

    /** n images of h x w where pixel (r, c) of image i is (i + r * w + c) mod 256; labels i mod 10. */
    public static void idx(Path dir, String prefix, int n, int h, int w, boolean gzip) throws IOException {
        ByteBuffer img = ByteBuffer.allocate(16 + n * h * w);
        img.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(h).putInt(w);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h * w; k++) {
                img.put((byte) (i + k));
            }
        }
        ByteBuffer lab = ByteBuffer.allocate(8 + n);
        lab.putInt(IdxReader.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) {
            lab.put((byte) (i % 10));
        }
        String sfx = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + sfx), img.array(), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + sfx), lab.array(), gzip);
    }

    /** n CIFAR records: label i mod 10, channel ch pixel k = (i + ch * 7 + k) mod 256. */
    public static byte[] cifar(int n, int labelOffset) {
        byte[] b = new byte[n * CifarReader.RECORD];
        for (int i = 0; i < n; i++) {
            b[i * CifarReader.RECORD] = (byte) ((i + labelOffset) % 10);
            for (int ch = 0; ch < 3; ch++) {
                for (int k = 0; k < 1024; k++) {
                    b[i * CifarReader.RECORD + 1 + ch * 1024 + k] = (byte) (i + ch * 7 + k);
                }
            }
        }
        return b;
    }

    public static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(java.nio.file.Files.newOutputStream(file))
                : java.nio.file.Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }
}
