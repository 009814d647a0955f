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

    /** The file's bytes after checking that its header is whole and starts with {@code magic}. */
    private static ByteBuffer header(byte[] bytes, String name, int length, int magic, String kind) {
        if (bytes.length < length) {
            throw DatasetException.at(name, bytes.length, "truncated header: " + bytes.length + " of " + length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != magic) {
            throw DatasetException.at(name, 0, String.format("bad magic number 0x%08x, expected 0x%08x (%s)",
                    b.getInt(0), magic, kind));
        }
        return b;
    }

    /** The 16-byte header of an IDX images file, checked; read without the images. */
    static ByteBuffer imagesHeader(Path images) {
        return header(FileBytes.head(images, 16), images.toString(), 16, IMAGES_MAGIC, "IDX images");
    }

    static ImageSet read(Path images, Path labels, int classes) {
        byte[] img = FileBytes.read(images);
        byte[] lab = FileBytes.read(labels);
        String imgName = images.toString();
        String labName = labels.toString();
        ByteBuffer ih = header(img, imgName, 16, IMAGES_MAGIC, "IDX images");
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
        ByteBuffer lh = header(lab, labName, 8, LABELS_MAGIC, "IDX labels");
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
