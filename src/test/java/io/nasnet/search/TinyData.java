package io.nasnet.search;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** A small learnable dataset in IDX format: square images whose class is the quadrant holding a bright 3x3 blob. */
final class TinyData {
    private TinyData() {
    }

    static Path write(Path dir, int train, int test) throws IOException {
        return write(dir, train, test, 8);
    }

    static Path write(Path dir, int train, int test, int size) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", train, 1, size);
        write(dir, "t10k", test, 2, size);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, long seed, int size) throws IOException {
        Random rng = new Random(seed);
        int plane = size * size;
        int half = size / 2;
        ByteBuffer img = ByteBuffer.allocate(16 + n * plane).putInt(0x803).putInt(n).putInt(size).putInt(size);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int q = rng.nextInt(4);
            byte[] px = new byte[plane];
            for (int k = 0; k < plane; k++) {
                px[k] = (byte) rng.nextInt(60);
            }
            // 8x8 keeps the blob in the quadrant's corner; larger images place it anywhere in the quadrant
            int top = (q / 2) * half + (size > 8 ? rng.nextInt(half - 2) : 0);
            int left = (q % 2) * half + (size > 8 ? rng.nextInt(half - 2) : 0);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    px[(top + r) * size + left + c] = (byte) 250;
                }
            }
            img.put(px);
            lab.put((byte) q);
        }
        gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"), img.array());
        gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), lab.array());
    }

    private static void gz(Path f, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(bytes);
        }
    }
}
