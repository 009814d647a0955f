package io.nasnet.data;

import org.apache.hadoop.fs.Path;

/**
 * CIFAR-10's binary format: records of 3,073 bytes, a label byte then a 32x32 image as 1,024 red,
 * 1,024 green and 1,024 blue bytes.
 */
final class CifarReader {

    static final int SIDE = 32;
    static final int RECORD = 1 + 3 * SIDE * SIDE;
    /** Images in each of the five training batches and in the test batch. */
    static final int IMAGES_PER_BATCH = 10_000;

    private CifarReader() {
    }

    static ImageSet read(Path file, int classes) {
        byte[] b = FileBytes.read(file);
        String name = file.toString();
        if (b.length == 0) {
            throw DatasetException.at(name, 0, "empty file");
        }
        if (b.length % RECORD != 0) {
            long complete = b.length / RECORD;
            throw DatasetException.at(name, complete * RECORD, "file of " + b.length + " bytes is not a whole number of "
                    + RECORD + "-byte records: record " + complete + " is cut short (truncated file or wrong format)");
        }
        int n = b.length / RECORD;
        int px = RECORD - 1;
        byte[] pixels = new byte[n * px];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = b[i * RECORD] & 0xff;
            if (label >= classes) {
                throw DatasetException.at(name, (long) i * RECORD, "record " + i + " has label " + label
                        + ", out of range [0, " + (classes - 1) + "]");
            }
            labels[i] = label;
            System.arraycopy(b, i * RECORD + 1, pixels, i * px, px);
        }
        return new ImageSet(pixels, labels, 3, SIDE, SIDE);
    }
}
