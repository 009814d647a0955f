package io.nasnet.data;

import java.util.Objects;

/**
 * Images as unsigned bytes, channel-major per image (C x H x W, as CIFAR-10 stores them), with
 * integer labels. Bytes keep a set small enough to hold once per executor JVM.
 */
public record ImageSet(byte[] pixels, int[] labels, int channels, int height, int width) {

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length + " pixel bytes for "
                    + channels + "x" + height + "x" + width + " images");
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageBytes() {
        return channels * height * width;
    }

    /** The images at the given indices, in that order. */
    public ImageSet select(int[] indices) {
        int n = imageBytes();
        byte[] p = new byte[indices.length * n];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * n, p, i * n, n);
            l[i] = labels[indices[i]];
        }
        return new ImageSet(p, l, channels, height, width);
    }

    /** The first {@code n} images (all of them if there are fewer). */
    public ImageSet head(int n) {
        int k = Math.min(n, size());
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        return select(idx);
    }

    /** Concatenates sets of the same image shape. */
    static ImageSet concat(java.util.List<ImageSet> sets) {
        ImageSet first = sets.get(0);
        int total = sets.stream().mapToInt(ImageSet::size).sum();
        byte[] p = new byte[total * first.imageBytes()];
        int[] l = new int[total];
        int at = 0;
        for (ImageSet s : sets) {
            System.arraycopy(s.pixels, 0, p, at * first.imageBytes(), s.pixels.length);
            System.arraycopy(s.labels, 0, l, at, s.size());
            at += s.size();
        }
        return new ImageSet(p, l, first.channels, first.height, first.width);
    }
}
