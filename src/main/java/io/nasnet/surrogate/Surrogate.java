package io.nasnet.surrogate;

import io.nasnet.controller.RandomSearch;
import io.nasnet.engine.ObjectiveEvaluator;
import io.nasnet.engine.Screen.Example;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A benchmark whose truth is known, after NAS-Bench-301 (Siems et al., 2020): gradient-boosted trees
 * fitted on real children of one proxy stand in for training. An architecture's true value is the
 * surrogate's prediction; a benchmark child's reward is that value plus Gaussian noise drawn from the
 * child's seed at a chosen standard deviation (0, the seed noise measured in the rows, or the noise
 * that gives another proxy's architecture share), and it costs what the real children took (their
 * median child-seconds). The fit is refused with too few rows or a held-out tau below the minimum:
 * a benchmark that ranks unlike the real children would rank strategies for nothing.
 */
public final class Surrogate implements java.io.Serializable {

    /** One real child: its architecture, the reward it got at the proxy, and what it cost. */
    public record Sample(String archId, Genotype genotype, double reward, double childSeconds) {
    }

    /**
     * How well the surrogate stands for the real children.
     *
     * @param rows         real children it was fitted on
     * @param architectures distinct architectures among them
     * @param tauRows      Kendall tau of each child's out-of-fold prediction (5 folds by architecture:
     *                     every seed of one architecture on the same side) against its reward
     * @param tauMeans     the same against the mean reward of the architectures with several seeds (NaN
     *                     with fewer than 5 such architectures)
     * @param meanArchitectures architectures with several seeds
     * @param seedSd       the pooled standard deviation of one architecture's reward over seeds (NaN
     *                     without an architecture of several seeds)
     * @param spread       the standard deviation of the true value over 2,000 random architectures
     * @param childSeconds the median child-seconds of the real children: a benchmark child's cost
     */
    public record Quality(int rows, int architectures, double tauRows, double tauMeans,
                          int meanArchitectures, double seedSd, double spread, double childSeconds)
            implements java.io.Serializable {

        /** The architecture's share of a benchmark reward's variance at noise {@code sd}. */
        public double share(double sd) {
            return spread * spread / (spread * spread + sd * sd);
        }

        /** The noise whose benchmark rewards are {@code share} architecture (1: none). */
        public double noiseFor(double share) {
            if (share <= 0 || share > 1) {
                throw new IllegalArgumentException("an architecture share is in (0, 1], got " + share);
            }
            return spread * Math.sqrt((1 - share) / share);
        }

        public String describe() {
            return String.format(Locale.ROOT, "gradient-boosted trees on %d real children (%d architectures); "
                            + "out of fold (%d folds by architecture): Kendall tau %.3f against each child's reward, "
                            + "%s against multi-seed means; seed sd %.4f, true-value sd %.4f over random cells, "
                            + "%.1f child-s a child", rows, architectures, FOLDS, tauRows,
                    Double.isNaN(tauMeans) ? "not measured (fewer than 5 architectures with several seeds)"
                            : String.format(Locale.ROOT, "%.3f on %d", tauMeans, meanArchitectures), seedSd, spread,
                    childSeconds);
        }
    }

    /** Folds of the held-out taus, by architecture. */
    static final int FOLDS = 5;

    private final GBTRegressionModel model;
    private final Quality quality;

    private Surrogate(GBTRegressionModel model, Quality quality) {
        this.model = model;
        this.quality = quality;
    }

    /**
     * Fits on {@code samples}: held-out taus first (out-of-fold predictions of {@link #FOLDS} folds by
     * architecture), then the model on all of them. Refused with fewer than
     * {@code minRows} samples or a held-out tau (against each child's reward) below {@code minTau}.
     */
    public static Surrogate fit(SparkSession spark, List<Sample> samples, int minRows, double minTau, long seed) {
        if (samples.size() < minRows) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the benchmark's surrogate needs at least %d "
                    + "real children and the rows hold %d: run a search at the proxy (random search gives the most "
                    + "even cover) or lower the minimum", minRows, samples.size()));
        }
        Map<String, List<Sample>> byArch = new LinkedHashMap<>();
        samples.forEach(s -> byArch.computeIfAbsent(s.archId(), k -> new ArrayList<>()).add(s));
        List<String> archs = new ArrayList<>(byArch.keySet());
        Collections.shuffle(archs, new Random(seed));
        List<Double> predicted = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        List<Double> predictedMeans = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        for (int fold = 0; fold < FOLDS; fold++) {
            List<String> out = new ArrayList<>();
            List<Example> train = new ArrayList<>();
            for (int i = 0; i < archs.size(); i++) {
                if (i % FOLDS == fold) {
                    out.add(archs.get(i));
                } else {
                    byArch.get(archs.get(i)).forEach(s -> train.add(example(s)));
                }
            }
            Surrogate partial = new Surrogate(Predictor.train(spark, train, seed), null);
            for (String a : out) {
                List<Sample> its = byArch.get(a);
                double p = partial.value(its.get(0).genotype());
                its.forEach(s -> {
                    predicted.add(p);
                    measured.add(s.reward());
                });
                if (its.size() > 1) {
                    predictedMeans.add(p);
                    means.add(its.stream().mapToDouble(Sample::reward).average().orElseThrow());
                }
            }
        }
        double tauRows = tau(predicted, measured);
        double tauMeans = means.size() >= 5 ? tau(predictedMeans, means) : Double.NaN;
        if (!(tauRows >= minTau)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the surrogate's held-out Kendall tau is %.3f "
                    + "on %d architectures (%d children, %d-fold by architecture), below the minimum %.2f: it would "
                    + "rank cells unlike the real children; give it more rows or a proxy whose rewards carry more "
                    + "signal", tauRows, archs.size(), predicted.size(), FOLDS, minTau));
        }
        GBTRegressionModel all = Predictor.train(spark, samples.stream().map(Surrogate::example).toList(), seed);
        Surrogate fitted = new Surrogate(all, null);
        double spread = new StandardDeviation().evaluate(randomCells(2000, seed).stream()
                .mapToDouble(fitted::value).toArray());
        DescriptiveStatistics cost = new DescriptiveStatistics(samples.stream().mapToDouble(Sample::childSeconds).toArray());
        return new Surrogate(all, new Quality(samples.size(), archs.size(), tauRows, tauMeans, means.size(),
                seedSd(byArch), spread, cost.getPercentile(50)));
    }

    /** The pooled within-architecture standard deviation: sqrt(sum of squared deviations / (n - groups)). */
    static double seedSd(Map<String, List<Sample>> byArch) {
        double squares = 0;
        int df = 0;
        for (List<Sample> its : byArch.values()) {
            if (its.size() < 2) {
                continue;
            }
            double mean = its.stream().mapToDouble(Sample::reward).average().orElseThrow();
            squares += its.stream().mapToDouble(s -> (s.reward() - mean) * (s.reward() - mean)).sum();
            df += its.size() - 1;
        }
        return df == 0 ? Double.NaN : Math.sqrt(squares / df);
    }

    /** Random cells of the paper's space (5 blocks), seeded: where the true value's spread is measured. */
    public static List<Genotype> randomCells(int n, long seed) {
        return new RandomSearch(new Encoding(5), seed).sample(n).stream().map(io.nasnet.controller.Sample::genotype).toList();
    }

    private static double tau(List<Double> a, List<Double> b) {
        return new KendallsCorrelation().correlation(a.stream().mapToDouble(Double::doubleValue).toArray(),
                b.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Example example(Sample s) {
        return new Example(s.genotype(), s.reward());
    }

    /** The architecture's true value in the benchmark. */
    public double value(Genotype g) {
        return model.predict(Vectors.dense(GenotypeFeatures.of(g)));
    }

    public Quality quality() {
        return quality;
    }

    /**
     * The benchmark's objective at noise {@code sd}: a child's reward is its architecture's true value
     * plus a Gaussian draw from the child's seed (so a search's rewards are the same on every run), at
     * the real children's median cost.
     */
    public ObjectiveEvaluator.Objective objective(double sd) {
        return (g, task) -> new ObjectiveEvaluator.Outcome(reward(g, task.spec().seed(), sd), quality.childSeconds());
    }

    /** A benchmark child's reward: the true value plus noise of {@code sd} drawn from the child's seed. */
    public double reward(Genotype g, long childSeed, double sd) {
        return value(g) + sd * new Random(childSeed).nextGaussian();
    }
}
