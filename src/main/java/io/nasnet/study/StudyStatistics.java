package io.nasnet.study;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics a strategy study reports, as Yu et al. (2020) and Yang et al. (2020) ask of NAS
 * comparisons: medians over seeds with bootstrap bands, paired Wilcoxon signed-rank tests, and the
 * budget a strategy needs to reach a target.
 */
public final class StudyStatistics {

    private StudyStatistics() {
    }

    /** The median of {@code xs} (NaN entries left out; NaN when none is left). */
    public static double median(double[] xs) {
        double[] v = Arrays.stream(xs).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The two-sided p-value of the paired Wilcoxon signed-rank test of {@code a} against {@code b}
     * (same index, same seed): exact up to 30 pairs, the normal approximation above. Pairs with a zero
     * difference are dropped (Wilcoxon's convention); 1 when no pair differs.
     */
    public static double wilcoxon(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("the Wilcoxon test pairs equal numbers of values, got " + a.length
                    + " and " + b.length);
        }
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] != b[i] ? 1 : 0;
        }
        if (n == 0) {
            return 1;
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0, j = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                x[j] = a[i];
                y[j++] = b[i];
            }
        }
        return new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, n <= 30);
    }

    /**
     * A 95% bootstrap band of the median over seeds, at each point of a curve: {@code values[seed][point]},
     * seeds resampled with replacement {@code resamples} times (the same resample at every point, so the
     * band follows curves, not points). Returns {@code {low[], high[]}}, the 2.5th and 97.5th percentiles.
     */
    public static double[][] bootstrapMedianBand(double[][] values, int resamples, long seed) {
        int seeds = values.length;
        int points = seeds == 0 ? 0 : values[0].length;
        double[][] medians = new double[points][resamples];
        SplittableRandom rng = new SplittableRandom(seed);
        double[] column = new double[seeds];
        int[] pick = new int[seeds];
        for (int b = 0; b < resamples; b++) {
            for (int s = 0; s < seeds; s++) {
                pick[s] = rng.nextInt(seeds);
            }
            for (int p = 0; p < points; p++) {
                for (int s = 0; s < seeds; s++) {
                    column[s] = values[pick[s]][p];
                }
                medians[p][b] = median(column);
            }
        }
        double[][] band = new double[2][points];
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        for (int p = 0; p < points; p++) {
            double[] m = Arrays.stream(medians[p]).filter(x -> !Double.isNaN(x)).toArray();
            band[0][p] = m.length == 0 ? Double.NaN : percentile.evaluate(m, 2.5);
            band[1][p] = m.length == 0 ? Double.NaN : percentile.evaluate(m, 97.5);
        }
        return band;
    }

    /** The first budget {@code x[i]} at which {@code y[i]} reaches {@code target}; NaN if it never does. */
    public static double timeToTarget(double[] x, double[] y, double target) {
        for (int i = 0; i < x.length; i++) {
            if (y[i] >= target) {
                return x[i];
            }
        }
        return Double.NaN;
    }
}
