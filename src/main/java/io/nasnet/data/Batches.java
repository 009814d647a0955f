package io.nasnet.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Mini-batches as the network sees them: standardized with the training statistics, NCHW floats
 * and one-hot labels; with the paper's augmentation for training (random crop after zero-padding,
 * random horizontal flip).
 *
 * @param padCrop pixels of padding before the random crop (0 = no crop)
 * @param flip    random horizontal flip
 */
public record Batches(ImageDataset data, int padCrop, boolean flip) {

    /** Features and one-hot labels of one batch. */
    public record Batch(INDArray features, INDArray labels) {
    }

    /** The images {@code indices} of {@code set}, augmented when {@code rng} is not null. */
    public Batch batch(ImageSet set, int[] indices, int from, int to, Random rng) {
        int n = to - from;
        int c = set.channels();
        int h = set.height();
        int w = set.width();
        int plane = h * w;
        float[] x = new float[n * c * plane];
        float[] y = new float[n * data.classes()];
        byte[] p = set.pixels();
        float[] mean = data.mean();
        float[] std = data.std();
        for (int i = 0; i < n; i++) {
            int img = indices[i + from];
            int dy = 0;
            int dx = 0;
            boolean mirror = false;
            if (rng != null) {
                if (padCrop > 0) {
                    dy = rng.nextInt(2 * padCrop + 1) - padCrop;
                    dx = rng.nextInt(2 * padCrop + 1) - padCrop;
                }
                mirror = flip && rng.nextBoolean();
            }
            for (int ch = 0; ch < c; ch++) {
                int src = (img * c + ch) * plane;
                int dst = (i * c + ch) * plane;
                float m = mean[ch];
                float s = 1f / std[ch];
                // a padded-with-zero pixel standardizes to (0 - mean) / std
                float pad = -m * s;
                for (int r = 0; r < h; r++) {
                    int sr = r + dy;
                    for (int col = 0; col < w; col++) {
                        int sc = (mirror ? w - 1 - col : col) + dx;
                        float v = sr < 0 || sr >= h || sc < 0 || sc >= w
                                ? pad
                                : standardize(p[src + sr * w + sc], m, s);
                        x[dst + r * w + col] = v;
                    }
                }
            }
            y[i * data.classes() + set.labels()[img]] = 1f;
        }
        return new Batch(Nd4j.create(x, new long[]{n, c, h, w}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(y, new long[]{n, data.classes()}, 'c'));
    }

    /**
     * A pixel as the networks take it: {@code (pixel / 255 - mean) * invStd}, {@code invStd} being
     * {@code 1 / std}. The one place the formula is written, so prediction computes what training did.
     */
    public static float standardize(byte pixel, float mean, float invStd) {
        return ((pixel & 0xff) / 255f - mean) * invStd;
    }
}
