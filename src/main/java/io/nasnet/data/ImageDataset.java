package io.nasnet.data;

import java.util.List;

import java.util.Random;

/**
 * The three splits of a dataset as the paper uses them: children train on {@code train}, their
 * reward is accuracy on {@code validation} (a seeded hold-out of the training images), and
 * {@code test} is never seen during search. {@code mean}/{@code std} are per-channel statistics of
 * {@code train}, in [0, 1] pixel units, used to standardize every split; {@code labels} name the
 * classes, in the order of their numbers.
 */
public record ImageDataset(String name, ImageSet train, ImageSet validation, ImageSet test, List<String> labels,
                           float[] mean, float[] std) {

    public ImageDataset {
        labels = List.copyOf(labels);
    }

    public int classes() {
        return labels.size();
    }

    public int channels() {
        return train.channels();
    }

    public int height() {
        return train.height();
    }

    public int width() {
        return train.width();
    }

    /**
     * Splits {@code trainAndValidation} with a seeded shuffle: {@code validation} images are held
     * out (a count if >= 1, else a fraction), the rest train; statistics come from the train part.
     */
    public static ImageDataset split(String name, ImageSet trainAndValidation, ImageSet test, List<String> labels,
                                     double validation, long seed) {
        int n = trainAndValidation.size();
        int held = heldOut(validation, n);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException("validation hold-out of " + validation + " leaves " + (n - held)
                    + " of " + n + " training images; use a count in [1, " + (n - 1) + "] or a fraction in (0, 1)");
        }
        int[] order = permutation(n, new Random(seed));
        int[] val = java.util.Arrays.copyOfRange(order, 0, held);
        int[] tr = java.util.Arrays.copyOfRange(order, held, n);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(tr);
        ImageSet train = trainAndValidation.select(tr);
        float[][] stats = channelStats(train);
        return new ImageDataset(name, train, trainAndValidation.select(val), test, labels, stats[0], stats[1]);
    }

    /** The images held out of {@code n} for validation: {@code validation} if >= 1, else that fraction of n. */
    public static int heldOut(double validation, int n) {
        return validation >= 1 ? (int) validation : (int) Math.round(validation * n);
    }

    /** 0..n-1 in a random order. */
    public static int[] permutation(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, rng);
        return order;
    }

    /** Fisher-Yates, in place: the one shuffle of the project (hold-out, epochs), so a seed means one order. */
    public static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static float[][] channelStats(ImageSet s) {
        int c = s.channels();
        int plane = s.height() * s.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        byte[] p = s.pixels();
        for (int i = 0; i < s.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                for (int k = 0; k < plane; k++) {
                    double v = (p[base + k] & 0xff) / 255.0;
                    sum[ch] += v;
                    sq[ch] += v * v;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double count = (double) s.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            mean[ch] = (float) m;
            std[ch] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq[ch] / count - m * m)));
        }
        return new float[][]{mean, std};
    }
}
