package io.nasnet.data;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A dataset's shape without its images: one image's channels, height and width, its classes, and how
 * many images each split holds once the validation hold-out and the training limit are applied.
 * Enough to size an executor ({@link #bytes}) and to measure a child's memory on images of that shape
 * ({@link #synthetic}), where the dataset itself cannot be read.
 */
public record DataShape(int channels, int height, int width, int classes, int trainImages, int validationImages,
                        int testImages) {

    /** The pixels an executor holds: every split, one byte a pixel. */
    public long bytes() {
        return (long) channels * height * width * ((long) trainImages + validationImages + testImages);
    }

    /**
     * {@code train} and {@code validation} images of this shape, seeded noise with labels cycling
     * through the classes: what a memory probe trains on, whose memory does not depend on the pixels.
     */
    public ImageDataset synthetic(int train, int validation, long seed) {
        Random rng = new Random(seed);
        List<String> labels = IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        float[] mean = new float[channels];
        float[] std = new float[channels];
        java.util.Arrays.fill(mean, 0.5f);
        java.util.Arrays.fill(std, 0.25f);
        return new ImageDataset("synthetic", images(train, rng), images(validation, rng), images(1, rng), labels, mean,
                std);
    }

    private ImageSet images(int n, Random rng) {
        byte[] pixels = new byte[n * channels * height * width];
        rng.nextBytes(pixels);
        return new ImageSet(pixels, IntStream.range(0, n).map(i -> i % classes).toArray(), channels, height, width);
    }
}
