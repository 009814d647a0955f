package io.nasnet.search;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** A small learnable dataset in IDX format: 8x8 images whose class is the quadrant holding a bright blob. */
final class TinyData {
    private TinyData() {
    }

    static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", train, 1);
        write(dir, "t10k", test, 2);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, long seed) throws IOException {
        Random rng = new Random(seed);
        ByteBuffer img = ByteBuffer.allocate(16 + n * 64).putInt(0x803).putInt(n).putInt(8).putInt(8);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int q = rng.nextInt(4);
            byte[] px = new byte[64];
            for (int k = 0; k < 64; k++) {
                px[k] = (byte) rng.nextInt(60);
            }
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    px[((q / 2) * 4 + r) * 8 + (q % 2) * 4 + c] = (byte) 250;
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
