package io.nasnet.study;

import io.nasnet.history.HistoryRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strategies at equal child-seconds: each search's incumbent (its best architecture by its own proxy
 * reward, through the whole proxy) at evenly spaced budgets, judged by its re-evaluated quality (the
 * mean reward of fresh seeds, free of the luck that made it the winner); per variant the median over
 * seeds with a bootstrap band, paired Wilcoxon tests against the baseline, and the budget at which
 * the median reaches the baseline's final median.
 */
public final class Anytime {

    /** The bootstrap's resamples and seed: fixed, so a report is reproducible. */
    static final int RESAMPLES = 2000;
    static final long BOOTSTRAP_SEED = 20261203L;

    /**
     * A search's children in the order it sampled them, up to the budget: the child-seconds spent once
     * each had trained (cumulative), its reward if it trained through the whole proxy (else NaN), its
     * architecture.
     */
    public record Trace(String searchId, String variant, long seed, double[] spent, double[] reward, String[] archIds,
                        String[] genotypes) {

        /** The rows of one search, in sampling order, those whose cost fits in {@code budget} (0: all). */
        public static Trace of(String searchId, String variant, long seed, List<HistoryRecord> rows, double budget) {
            List<HistoryRecord> ordered = rows.stream().sorted(Comparator.comparingInt(HistoryRecord::round)
                    .thenComparingInt(HistoryRecord::childIndex)).toList();
            List<double[]> kept = new ArrayList<>();
            List<HistoryRecord> keptRows = new ArrayList<>();
            double total = 0;
            for (HistoryRecord h : ordered) {
                total += h.childSeconds();
                if (budget > 0 && total > budget) {
                    break;
                }
                kept.add(new double[]{total, h.status().measured() && h.wholeProxy() ? h.reward() : Double.NaN});
                keptRows.add(h);
            }
            return new Trace(searchId, variant, seed, kept.stream().mapToDouble(k -> k[0]).toArray(),
                    kept.stream().mapToDouble(k -> k[1]).toArray(),
                    keptRows.stream().map(HistoryRecord::archId).toArray(String[]::new),
                    keptRows.stream().map(HistoryRecord::genotype).toArray(String[]::new));
        }

        /** The child-seconds it spent in all. */
        public double total() {
            return spent.length == 0 ? 0 : spent[spent.length - 1];
        }

        /** The index of its incumbent once {@code budget} child-seconds were spent (the earliest on ties); -1 if none. */
        public int incumbent(double budget) {
            int best = -1;
            for (int i = 0; i < spent.length && spent[i] <= budget; i++) {
                if (!Double.isNaN(reward[i]) && (best < 0 || reward[i] > reward[best])) {
                    best = i;
                }
            }
            return best;
        }

        /** The mean proxy reward of its {@code k} best distinct architectures. */
        public double topMean(int k) {
            Map<String, Double> best = new LinkedHashMap<>();
            for (int i = 0; i < reward.length; i++) {
                if (!Double.isNaN(reward[i])) {
                    best.merge(archIds[i], reward[i], Math::max);
                }
            }
            return best.values().stream().sorted(Comparator.reverseOrder()).limit(k).mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN);
        }
    }

    /** A search at the study's budget: its incumbents' re-evaluated quality at each checkpoint. */
    public record SearchFigures(String searchId, String variant, long seed, double spent, int children,
                                double proxyBest, double top5, double[] quality, String finalArch,
                                String finalGenotype) {
        public double finalQuality() {
            return quality[quality.length - 1];
        }
    }

    /**
     * A variant over its seeds: the median quality at each checkpoint with its 95% bootstrap band; against
     * the baseline (paired by seed) the Wilcoxon p-values of the final quality and of the mean of the top 5,
     * how many seeds it won, and the budget at which its median reaches the baseline's final median.
     */
    public record VariantFigures(String variant, int seeds, double[] median, double[] low, double[] high,
                                 double top5Median, int pairs, int wins, double pFinal, double pTop5,
                                 double timeToTarget) {
        public double finalMedian() {
            return median[median.length - 1];
        }
    }

    /** The study's result at one budget. */
    public record Result(double budget, double[] checkpoints, String baseline, double target,
                         List<SearchFigures> searches, List<VariantFigures> variants) {
    }

    private Anytime() {
    }

    /** The checkpoints: {@code budget * g / grid}, g = 1..grid. */
    public static double[] checkpoints(double budget, int grid) {
        double[] x = new double[grid];
        for (int g = 1; g <= grid; g++) {
            x[g - 1] = budget * g / grid;
        }
        return x;
    }

    /** The architectures whose quality the result needs: every search's incumbent at every checkpoint. */
    public static Set<String> incumbents(List<Trace> traces, double[] checkpoints) {
        Set<String> out = new TreeSet<>();
        for (Trace t : traces) {
            for (double x : checkpoints) {
                int i = t.incumbent(x);
                if (i >= 0) {
                    out.add(t.genotypes()[i]);
                }
            }
        }
        return out;
    }

    /**
     * The figures of the traces at {@code checkpoints}, {@code quality} giving each incumbent's
     * re-evaluated quality by arch id; the variants in the order of their first trace.
     */
    public static Result analyse(List<Trace> traces, double[] checkpoints, Map<String, Double> quality, String baseline) {
        List<SearchFigures> searches = new ArrayList<>();
        for (Trace t : traces) {
            double[] q = new double[checkpoints.length];
            for (int g = 0; g < checkpoints.length; g++) {
                int i = t.incumbent(checkpoints[g]);
                q[g] = i < 0 ? Double.NaN : quality.getOrDefault(t.archIds()[i], Double.NaN);
            }
            int end = t.incumbent(checkpoints[checkpoints.length - 1]);
            searches.add(new SearchFigures(t.searchId(), t.variant(), t.seed(), t.total(), t.spent().length,
                    end < 0 ? Double.NaN : t.reward()[end], t.topMean(5), q, end < 0 ? null : t.archIds()[end],
                    end < 0 ? null : t.genotypes()[end]));
        }
        Map<String, List<SearchFigures>> byVariant = new LinkedHashMap<>();
        searches.forEach(s -> byVariant.computeIfAbsent(s.variant(), k -> new ArrayList<>()).add(s));
        List<SearchFigures> base = byVariant.getOrDefault(baseline, List.of());
        double target = StudyStatistics.median(base.stream().mapToDouble(SearchFigures::finalQuality).toArray());
        List<VariantFigures> variants = new ArrayList<>();
        for (Map.Entry<String, List<SearchFigures>> e : byVariant.entrySet()) {
            List<SearchFigures> its = e.getValue();
            double[][] values = its.stream().map(SearchFigures::quality).toArray(double[][]::new);
            double[] median = new double[checkpoints.length];
            for (int g = 0; g < checkpoints.length; g++) {
                int at = g;
                median[g] = StudyStatistics.median(its.stream().mapToDouble(s -> s.quality()[at]).toArray());
            }
            double[][] band = StudyStatistics.bootstrapMedianBand(values, RESAMPLES, BOOTSTRAP_SEED);
            List<double[]> finals = new ArrayList<>();
            List<double[]> tops = new ArrayList<>();
            int wins = 0;
            if (!e.getKey().equals(baseline)) {
                for (SearchFigures s : its) {
                    for (SearchFigures b : base) {
                        if (b.seed() == s.seed() && !Double.isNaN(s.finalQuality()) && !Double.isNaN(b.finalQuality())) {
                            finals.add(new double[]{s.finalQuality(), b.finalQuality()});
                            tops.add(new double[]{s.top5(), b.top5()});
                            wins += s.finalQuality() > b.finalQuality() ? 1 : 0;
                        }
                    }
                }
            }
            double pFinal = finals.isEmpty() ? Double.NaN : StudyStatistics.wilcoxon(
                    finals.stream().mapToDouble(p -> p[0]).toArray(), finals.stream().mapToDouble(p -> p[1]).toArray());
            double pTop5 = tops.isEmpty() ? Double.NaN : StudyStatistics.wilcoxon(
                    tops.stream().mapToDouble(p -> p[0]).toArray(), tops.stream().mapToDouble(p -> p[1]).toArray());
            variants.add(new VariantFigures(e.getKey(), its.size(), median, band[0], band[1],
                    StudyStatistics.median(its.stream().mapToDouble(SearchFigures::top5).toArray()), finals.size(), wins,
                    pFinal, pTop5, StudyStatistics.timeToTarget(checkpoints, median, target)));
        }
        return new Result(checkpoints[checkpoints.length - 1], checkpoints, baseline, target, searches, variants);
    }

    private static String f(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.4f", x);
    }

    /** The per-variant table, the baseline comparison and the per-search table, as markdown. */
    public static String markdown(Result r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Budget: %.0f child-seconds per search; quality "
                + "checked at %s child-seconds.%n%n", r.budget(), join(r.checkpoints(), x -> String.format(Locale.ROOT, "%.0f", x))));
        s.append("| variant | seeds | re-evaluated best: median [95% band] | median of top 5 (proxy) | seeds won vs ")
                .append(r.baseline()).append(" | Wilcoxon p, best | Wilcoxon p, top 5 | child-seconds to ")
                .append(r.baseline()).append("'s final median |\n|---|---|---|---|---|---|---|---|\n");
        for (VariantFigures v : r.variants()) {
            int last = v.median().length - 1;
            boolean base = v.variant().equals(r.baseline());
            s.append(String.format(Locale.ROOT, "| %s | %d | %s [%s, %s] | %s | %s | %s | %s | %s |%n", v.variant(),
                    v.seeds(), f(v.median()[last]), f(v.low()[last]), f(v.high()[last]), f(v.top5Median()),
                    base ? "-" : v.wins() + " of " + v.pairs(), base ? "-" : p(v.pFinal()), base ? "-" : p(v.pTop5()),
                    Double.isNaN(v.timeToTarget()) ? "not reached" : String.format(Locale.ROOT, "%.0f (%.0f%%)",
                            v.timeToTarget(), 100 * v.timeToTarget() / r.budget())));
        }
        s.append("\n| search | variant | seed | children | child-seconds | proxy best | mean of top 5 | quality at "
                + "each checkpoint |\n|---|---|---|---|---|---|---|---|\n");
        for (SearchFigures f : r.searches()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %s | %s | %s |%n", f.searchId(), f.variant(),
                    f.seed(), f.children(), f.spent(), f(f.proxyBest()), f(f.top5()), join(f.quality(), Anytime::f)));
        }
        return s.toString();
    }

    private static String p(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3g", x);
    }

    /** The values, each as {@code format} writes it, comma-separated. */
    private static String join(double[] xs, java.util.function.DoubleFunction<String> format) {
        return java.util.Arrays.stream(xs).mapToObj(format).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The curves as CSV: variant, checkpoint, median, low, high. */
    public static String curvesCsv(Result r) {
        StringBuilder s = new StringBuilder("variant,child_seconds,seeds,quality_median,band_low,band_high\n");
        for (VariantFigures v : r.variants()) {
            for (int g = 0; g < r.checkpoints().length; g++) {
                s.append(String.format(Locale.ROOT, "%s,%.1f,%d,%.6f,%.6f,%.6f%n", v.variant(), r.checkpoints()[g],
                        v.seeds(), v.median()[g], v.low()[g], v.high()[g]));
            }
        }
        return s.toString();
    }
}
