package io.nasnet.data;

import org.apache.hadoop.fs.Path;

import java.nio.ByteBuffer;

/**
 * MNIST's IDX format (also Fashion-MNIST's): an images file (magic 0x00000803, count, rows,
 * columns, then unsigned bytes) and a labels file (magic 0x00000801, count, then one byte each),
 * gzipped or not.
 */
final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    static ImageSet read(Path images, Path labels, int classes) {
        byte[] img = FileBytes.read(images);
        byte[] lab = FileBytes.read(labels);
        String imgName = images.toString();
        String labName = labels.toString();
        if (img.length < 16) {
            throw DatasetException.at(imgName, img.length, "truncated header: " + img.length + " of 16 bytes");
        }
        ByteBuffer ih = ByteBuffer.wrap(img);
        int magic = ih.getInt(0);
        if (magic != IMAGES_MAGIC) {
            throw DatasetException.at(imgName, 0, String.format("bad magic number 0x%08x, expected 0x%08x (IDX images)",
                    magic, IMAGES_MAGIC));
        }
        int count = ih.getInt(4);
        int rows = ih.getInt(8);
        int cols = ih.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw DatasetException.at(imgName, 4, "bad dimensions " + count + " x " + rows + " x " + cols);
        }
        long expected = 16L + (long) count * rows * cols;
        if (img.length < expected) {
            throw DatasetException.at(imgName, img.length, "truncated: header announces " + count + " images of "
                    + rows + "x" + cols + " (" + expected + " bytes), file ends after image "
                    + (img.length - 16) / ((long) rows * cols));
        }
        if (img.length > expected) {
            throw DatasetException.at(imgName, expected, (img.length - expected) + " bytes after the last image");
        }
        if (lab.length < 8) {
            throw DatasetException.at(labName, lab.length, "truncated header: " + lab.length + " of 8 bytes");
        }
        ByteBuffer lh = ByteBuffer.wrap(lab);
        int lmagic = lh.getInt(0);
        if (lmagic != LABELS_MAGIC) {
            throw DatasetException.at(labName, 0, String.format("bad magic number 0x%08x, expected 0x%08x (IDX labels)",
                    lmagic, LABELS_MAGIC));
        }
        int lcount = lh.getInt(4);
        if (lcount != count) {
            throw DatasetException.at(labName, 4, lcount + " labels for the " + count + " images of " + imgName);
        }
        if (lab.length != 8L + count) {
            throw DatasetException.at(labName, Math.min(lab.length, 8L + count), "expected " + (8L + count)
                    + " bytes for " + count + " labels, file has " + lab.length);
        }
        int[] labelsOut = new int[count];
        for (int i = 0; i < count; i++) {
            int l = lab[8 + i] & 0xff;
            if (l >= classes) {
                throw DatasetException.at(labName, 8 + i, "label " + l + " out of range [0, " + (classes - 1) + "]");
            }
            labelsOut[i] = l;
        }
        byte[] pixels = new byte[count * rows * cols];
        System.arraycopy(img, 16, pixels, 0, pixels.length);
        return new ImageSet(pixels, labelsOut, 1, rows, cols);
    }
}
