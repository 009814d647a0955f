package io.nasnet.data;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a dataset is and how to split it.
 *
 * @param path       a folder on any Hadoop FileSystem holding CIFAR-10 ({@code data_batch_1..5.bin},
 *                   {@code test_batch.bin}) or IDX files ({@code train-images-idx3-ubyte[.gz]} and
 *                   the {@code t10k-} and {@code -labels-idx1-} companions)
 * @param format     which of the two, or AUTO to tell from the files present
 * @param validation training images held out for the reward: a count if >= 1, else a fraction
 * @param trainLimit if > 0, use only that many training images after the hold-out (a cheaper proxy)
 * @param seed       seed of the hold-out
 */
public record DataSpec(String path, Format format, double validation, int trainLimit, long seed)
        implements java.io.Serializable {

    public enum Format {
        AUTO, IDX, CIFAR10;

        public static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace("-", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown dataset format '" + s + "'; valid: auto, idx, cifar10");
            }
        }
    }

    /**
     * The {@code data.*} keys of the {@code nasnet} configuration {@code c}, validated; {@code seed}
     * draws the validation hold-out.
     */
    public static DataSpec from(com.typesafe.config.Config c, long seed) {
        Format format;
        try {
            format = Format.parse(c.getString("data.format"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data.format: " + e.getMessage(), e);
        }
        double validation = c.getDouble("data.validation");
        if (validation <= 0) {
            throw new IllegalArgumentException("data.validation: must be > 0, got " + validation);
        }
        return new DataSpec(c.getString("data.path"), format, validation, c.getInt("data.train-limit"), seed);
    }

    public DataSpec {
        Objects.requireNonNull(path, "data path");
        Objects.requireNonNull(format, "data format");
        if (validation <= 0) {
            throw new IllegalArgumentException("validation hold-out must be > 0, got " + validation);
        }
    }
}
