package io.nasnet.study;

import io.nasnet.child.Rungs;
import io.nasnet.controller.Strategies;
import io.nasnet.engine.InMemory;
import io.nasnet.engine.Limit;
import io.nasnet.engine.ObjectiveEvaluator;
import io.nasnet.engine.RoundEngine;
import io.nasnet.history.HistoryRecord;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.surrogate.Surrogate;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * Strategies against an objective whose truth is known ({@link Surrogate}): many seeded searches of
 * each strategy, run by the round engine in memory, each followed round by round. A search's
 * children are the architectures it sampled, repeats included (a repeat is reused from the rows and
 * costs no child-seconds, which the child-seconds axis shows). After each round
 * the search's pick is its best reward so far, as a search reports it; what the pick is worth is its
 * true value, which no search sees. A strategy wins where its picks are truly better than random
 * search's at the same children (or child-seconds), paired by seed.
 */
public final class Benchmark {

    /** A strategy as the benchmark runs it: its name in the tables, its registry name, its settings. */
    public record Variant(String name, String strategy, Strategies.Settings settings) {
    }

    /** A noise level: its name, the noise's standard deviation, and the architecture share it leaves. */
    public record Noise(String name, double sd, double share) {
    }

    /**
     * One search: after each round, the children sampled so far, their child-seconds, and the true
     * value of the search's pick.
     */
    public record Curve(String variant, String noise, long seed, int[] children, double[] childSeconds,
                        double[] trueValue) {

        /** The true value of the pick after the last round that sampled at most {@code n} children (NaN before the first). */
        public double at(int n) {
            double v = Double.NaN;
            for (int i = 0; i < children.length && children[i] <= n; i++) {
                v = trueValue[i];
            }
            return v;
        }

        /** The true value of the pick after the last round that spent at most {@code seconds} child-seconds. */
        public double atSeconds(double seconds) {
            double v = Double.NaN;
            for (int i = 0; i < childSeconds.length && childSeconds[i] <= seconds; i++) {
                v = trueValue[i];
            }
            return v;
        }
    }

    private final Surrogate surrogate;
    private final int population;
    private final int children;
    private final int threads;

    /** Searches of {@code children} children, {@code population} a round, {@code threads} at a time. */
    public Benchmark(Surrogate surrogate, int population, int children, int threads) {
        if (children < population || children % population != 0) {
            throw new IllegalArgumentException("children: a multiple of the population " + population + ", got " + children);
        }
        this.surrogate = surrogate;
        this.population = population;
        this.children = children;
        this.threads = threads;
    }

    /** Every variant at every noise level over {@code seeds}: one curve each, in that order. */
    public List<Curve> run(List<Variant> variants, List<Noise> noises, List<Long> seeds) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Curve>> futures = new ArrayList<>();
            for (Noise noise : noises) {
                for (Variant v : variants) {
                    for (long seed : seeds) {
                        futures.add(pool.submit(() -> search(v, noise, seed)));
                    }
                }
            }
            List<Curve> out = new ArrayList<>();
            for (Future<Curve> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a benchmark search failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One search of {@code v} at {@code noise} and {@code seed}, followed round by round. */
    public Curve search(Variant v, Noise noise, long seed) {
        return curve(v.name(), noise.name(), seed, rows(v, noise, seed));
    }

    /** The curve of a search's rows, however it ran (in memory, or through Spark with the surrogate). */
    public Curve curve(String variant, String noise, long seed, List<HistoryRecord> rows) {
        int rounds = children / population;
        int[] n = new int[rounds];
        double[] seconds = new double[rounds];
        double[] truth = new double[rounds];
        HistoryRecord pick = null;
        double spent = 0;
        for (int r = 0; r < rounds; r++) {
            for (HistoryRecord h : rows.subList(r * population, (r + 1) * population)) {
                spent += h.childSeconds();
                if (h.status().trained() && (pick == null || h.reward() > pick.reward())) {
                    pick = h;
                }
            }
            n[r] = (r + 1) * population;
            seconds[r] = spent;
            truth[r] = pick == null ? Double.NaN : surrogate.value(Genotype.parse(pick.genotype()));
        }
        return new Curve(variant, noise, seed, n, seconds, truth);
    }

    /** The rows of one search, as the round engine writes them, in round and child order. */
    public List<HistoryRecord> rows(Variant v, Noise noise, long seed) {
        Encoding space = new Encoding(5);
        String id = v.name() + "-" + noise.name() + "-seed" + seed;
        InMemory.History history = new InMemory.History();
        RoundEngine.Settings settings = new RoundEngine.Settings(id, seed, population, "benchmark", "benchmark", 0,
                Rungs.OFF, space, "benchmark");
        try {
            new RoundEngine(settings, () -> Strategies.create(v.strategy(), space, v.settings(), seed),
                    new ObjectiveEvaluator(surrogate.objective(noise.sd())), history, new InMemory.States(),
                    Clock.systemUTC()).limit(Limit.rounds(children / population)).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return history.records(id);
    }

    /**
     * A variant against random search at one noise level and budget, paired by seed.
     *
     * @param mean     the variant's mean true value
     * @param baseline the baseline's mean true value (random search's, or a peer's)
     * @param wins     seeds where the variant's pick is truly better (ties count half)
     * @param p        Wilcoxon signed-rank two-sided p-value of the paired differences
     */
    public record Paired(String variant, String noise, int budget, int seeds, double mean, double baseline, double wins,
                         double p) {
    }

    /** {@code variant} against {@code baseline} at {@code budget} children, over the seeds both ran. */
    public static Paired paired(List<Curve> curves, String variant, String baseline, String noise, int budget) {
        return paired(curves, variant, c -> c.at(budget), baseline, c -> c.at(budget), noise, budget);
    }

    /**
     * {@code variant} after {@code budget} children against {@code baseline} after {@code baselineBudget}:
     * whether a strategy reaches with fewer children what random search finds with more.
     */
    public static Paired paired(List<Curve> curves, String variant, int budget, String baseline, int baselineBudget,
                                String noise) {
        return paired(curves, variant, c -> c.at(budget), baseline, c -> c.at(baselineBudget), noise, budget);
    }

    private static Paired paired(List<Curve> curves, String variant, ToDoubleFunction<Curve> value, String baseline,
                                 ToDoubleFunction<Curve> baseValue, String noise, int budget) {
        List<double[]> pairs = pairs(curves, variant, value, baseline, baseValue, noise);
        double[] x = pairs.stream().mapToDouble(d -> d[0]).toArray();
        double[] y = pairs.stream().mapToDouble(d -> d[1]).toArray();
        double wins = pairs.stream().mapToDouble(d -> d[0] > d[1] ? 1 : d[0] == d[1] ? 0.5 : 0).sum();
        return new Paired(variant, noise, budget, pairs.size(), Arrays.stream(x).average().orElse(Double.NaN),
                Arrays.stream(y).average().orElse(Double.NaN), wins, wilcoxon(x, y));
    }

    /** {variant's value, baseline's value} for each seed both ran at a noise level. */
    private static List<double[]> pairs(List<Curve> curves, String variant, ToDoubleFunction<Curve> value,
                                        String baseline, ToDoubleFunction<Curve> baseValue, String noise) {
        List<double[]> pairs = new ArrayList<>();
        for (Curve a : of(curves, variant, noise)) {
            for (Curve b : of(curves, baseline, noise)) {
                if (a.seed() == b.seed()) {
                    pairs.add(new double[]{value.applyAsDouble(a), baseValue.applyAsDouble(b)});
                }
            }
        }
        return pairs;
    }

    /**
     * The two-sided p-value of Wilcoxon's signed-rank test of paired samples, ties (zero differences)
     * dropped as Wilcoxon did: exact up to 30 remaining pairs, the normal approximation above
     * (commons-math3, which would otherwise count a tie against the first sample); 1 when every
     * pair ties.
     */
    public static double wilcoxon(double[] x, double[] y) {
        return wilcoxon(x, y, 30);
    }

    private static double wilcoxon(double[] x, double[] y, int exactUpTo) {
        List<double[]> untied = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                untied.add(new double[]{x[i], y[i]});
            }
        }
        if (untied.isEmpty()) {
            return 1;
        }
        double[] a = untied.stream().mapToDouble(d -> d[0]).toArray();
        double[] b = untied.stream().mapToDouble(d -> d[1]).toArray();
        return new WilcoxonSignedRankTest().wilcoxonSignedRankTest(a, b, a.length <= exactUpTo);
    }

    private static final int EXACT_IN_POWER = 12;

    /**
     * The power of a real study that pairs {@code seeds} seeds of {@code variant} against {@code baseline}
     * at {@code budget} children and judges each search by its pick re-evaluated with
     * {@code reevaluations} fresh seeds: the share of {@code studies} simulated studies that find the
     * variant better (higher mean, Wilcoxon p < 0.05). Each simulated study draws its seeds' paired
     * differences of true value from the benchmark's searches (with replacement) and adds to each side
     * the re-evaluation's noise, the level's seed sd over the square root of {@code reevaluations}.
     * The test is exact up to {@value #EXACT_IN_POWER} seeds, its normal approximation above (an exact
     * test of 20 pairs enumerates a million sign patterns, thousands of times here).
     */
    public static double power(List<Curve> curves, String variant, String baseline, Noise noise, int budget,
                               int seeds, int reevaluations, int studies, long rngSeed) {
        List<Double> diffs = pairs(curves, variant, c -> c.at(budget), baseline, c -> c.at(budget), noise.name())
                .stream().map(p -> p[0] - p[1]).toList();
        if (diffs.isEmpty()) {
            return Double.NaN;
        }
        java.util.Random rng = new java.util.Random(rngSeed);
        double sd = noise.sd() / Math.sqrt(reevaluations);
        int found = 0;
        for (int s = 0; s < studies; s++) {
            double[] x = new double[seeds];
            double[] zero = new double[seeds];
            for (int i = 0; i < seeds; i++) {
                x[i] = diffs.get(rng.nextInt(diffs.size())) + sd * rng.nextGaussian() - sd * rng.nextGaussian();
            }
            if (Arrays.stream(x).average().orElseThrow() > 0 && wilcoxon(x, zero, EXACT_IN_POWER) < 0.05) {
                found++;
            }
        }
        return (double) found / studies;
    }

    /**
     * The fewest children after which {@code variant}'s mean true value reaches {@code baseline}'s at
     * the searches' last round; -1 if it never does.
     */
    public static int childrenToReach(List<Curve> curves, String variant, String baseline, String noise) {
        List<Curve> base = of(curves, baseline, noise);
        List<Curve> mine = of(curves, variant, noise);
        if (base.isEmpty() || mine.isEmpty()) {
            return -1;
        }
        int last = base.get(0).children()[base.get(0).children().length - 1];
        double target = base.stream().mapToDouble(c -> c.at(last)).average().orElseThrow();
        for (int n : mine.get(0).children()) {
            double m = mine.stream().mapToDouble(c -> c.at(n)).average().orElseThrow();
            if (m >= target) {
                return n;
            }
        }
        return -1;
    }

    static List<Curve> of(List<Curve> curves, String variant, String noise) {
        return curves.stream().filter(c -> c.variant().equals(variant) && c.noise().equals(noise)).toList();
    }

    /** A noise level by its share of architecture: "none" at share 1. */
    public static Noise noise(String name, Surrogate.Quality q, double share) {
        return new Noise(name, share >= 1 ? 0 : q.noiseFor(share), share);
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
