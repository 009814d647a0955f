package io.nasnet.study;

import io.nasnet.child.RewardDefinition;
import io.nasnet.config.ConfigException;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryRecord;
import io.nasnet.search.TrainerFactory;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Which proxy's reward measures the cell rather than the seed: the same architectures trained with the
 * same seeds at tiers that each change one factor of a base proxy (training images, epochs, validation
 * images, batch size, F), and trained at a final-like budget that costs more than any tier. For each
 * tier and each {@link RewardDefinition}, read from the same rows: the architecture's share of one
 * reward's variance with its 95% interval, Kendall's tau of one reward (and of the seeds' mean)
 * against the final-like accuracy, the child-seconds a child cost; and each zero-cost score's tau.
 * Every evaluation is a row of the history table and every final-like training a row of
 * {@code nas_final}, so a stopped study resumes; a time budget stops it between rounds.
 */
public final class ProxyGrid {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyGrid.class);

    /** A tier: {@code key=value} overrides of the base proxy's child.* and data.* settings (none: the base). */
    public record Tier(List<String> overrides) {
        public Tier {
            overrides = List.copyOf(overrides);
            for (String o : overrides) {
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
                if (!key.startsWith("child.") && !key.equals("data.train-limit") && !key.equals("data.validation")) {
                    throw new ConfigException("a tier sets child.*, data.train-limit and data.validation only, not '"
                            + o + "'");
                }
            }
        }

        public static Tier parse(String text) {
            return new Tier(ProxyFidelity.overrides(text));
        }

        public String label() {
            return overrides.isEmpty() ? "base" : String.join(",", overrides);
        }
    }

    /** A share of variance and its 95% confidence interval. */
    public record Share(double estimate, double low, double high) {
    }

    /**
     * One reward definition at one tier.
     *
     * @param shareWithoutLowest the share among the architectures but the one of lowest mean reward: how
     *                           much of the share one cell that any proxy tells apart makes
     */
    public record Figures(RewardDefinition reward, Share share, double shareWithoutLowest, double tauOneSeed,
                          double tauSeedMean) {
    }

    /** One tier's figures: its budget, its median child-seconds and each reward definition's. */
    public record TierResult(String tier, String budget, int trainLimit, double validation, int architectures,
                             int seeds, double childSeconds, List<Figures> rewards) {
        public Figures of(RewardDefinition d) {
            return rewards.stream().filter(f -> f.reward() == d).findFirst().orElseThrow();
        }
    }

    /** A zero-cost score's (or params') Kendall tau against the final-like accuracy, and its median seconds. */
    public record ScoreTau(String score, double tau, double seconds) {
    }

    /** The study's figures and every row they came from. */
    public record Result(List<ProxyFidelity.Arch> archs, Map<String, Double> finalAccuracy, double finalSeconds,
                         String finalBudget, Share finalShare, List<TierResult> tiers, List<ScoreTau> zeroCost,
                         Map<String, List<HistoryRecord>> rows, boolean complete) {

        /**
         * The tier and reward with the most architecture signal per child-second (the share of one reward's
         * variance over the child-seconds a child costs) among those that rank with a positive Kendall tau
         * against the final-like accuracy; empty before any tier is complete.
         */
        public java.util.Optional<Map.Entry<TierResult, Figures>> best() {
            return tiers.stream().flatMap(t -> t.rewards().stream().filter(f -> !(f.tauOneSeed() <= 0))
                            .map(f -> Map.entry(t, f)))
                    .max(java.util.Comparator.comparingDouble(e -> e.getValue().share().estimate() / e.getKey().childSeconds()));
        }
    }

    private final SparkSession spark;
    private final Function<List<String>, SearchConfig> config;
    private final TrainerFactory trainers;
    private final String study;

    /**
     * @param config the study's configuration with overrides; children train with the accuracy as their
     *               reward, every other definition read from the same rows
     */
    public ProxyGrid(SparkSession spark, Function<List<String>, SearchConfig> config, TrainerFactory trainers,
                     String study) {
        ProxyFidelity.requireName(study);
        this.spark = spark;
        this.config = config;
        this.trainers = trainers;
        this.study = study;
    }

    /** The history table's search id of a tier's evaluations: the study and a hash of what the tier trains on. */
    public String tierSearchId(SearchConfig c) {
        return study + "-tier-" + DigestUtils.sha256Hex(c.child().budgetKey() + "|" + c.data().path() + "|"
                + c.data().trainLimit() + "|" + c.data().validation()).substring(0, 8);
    }

    /**
     * Trains what the tables lack, in order: the first tier, the final-like trainings, the other tiers,
     * a round (one seed of a tier) or a final-like training at a time, stopping after the first of them
     * to end past {@code budget} (nanoseconds of {@code clock}, 0 = none); then the figures of the tiers
     * that are complete.
     */
    public Result run(List<ProxyFidelity.Arch> archs, List<Tier> tiers, int seeds, List<String> finalOverrides,
                      int finalSeeds, long budget, java.util.function.LongSupplier clock) throws IOException {
        if (archs.size() < 3 || seeds < 2 || finalSeeds < 1 || tiers.isEmpty()) {
            throw new ConfigException("the proxy study needs at least 3 architectures, 2 seeds, 1 final-like seed and "
                    + "1 tier");
        }
        long start = clock.getAsLong();
        java.util.function.BooleanSupplier spent = () -> budget > 0 && clock.getAsLong() - start >= budget;
        boolean complete = true;
        Map<String, List<HistoryRecord>> rows = new LinkedHashMap<>();
        Map<String, double[]> finalsBySeed = new LinkedHashMap<>();
        Map<String, Double> finals = new LinkedHashMap<>();
        double[] finalSeconds = {0};
        List<Runnable> order = new ArrayList<>();
        for (int t = 0; t < tiers.size(); t++) {
            Tier tier = tiers.get(t);
            for (int s = 1; s <= seeds; s++) {
                long seed = s;
                order.add(() -> rows.computeIfAbsent(tier.label(), k -> new ArrayList<>())
                        .addAll(evaluate(tier, archs, seed).values()));
            }
            if (t == 0) {
                order.add(() -> finalsBySeed.putAll(finals(archs, finalOverrides, finalSeeds, finalSeconds, spent)));
            }
        }
        for (int i = 0; i < order.size(); i++) {
            order.get(i).run();
            if (i < order.size() - 1 && spent.getAsBoolean()) {
                complete = false;
                LOG.info("study {}: the time budget is spent; run it again to continue", study);
                break;
            }
        }
        finalsBySeed.forEach((id, acc) -> finals.put(id, StatUtils.mean(acc)));
        if (finals.size() < archs.size()) {
            complete = false;
        }
        // the truth's own noise: how much of one final-like accuracy is the architecture
        Share finalShare = finalSeeds >= 2 && finals.size() == archs.size()
                ? share(finalsBySeed.values().toArray(double[][]::new)) : null;
        List<TierResult> results = new ArrayList<>();
        for (Tier tier : tiers) {
            List<HistoryRecord> its = rows.getOrDefault(tier.label(), List.of());
            if (its.size() == archs.size() * seeds) {
                results.add(figures(tier, archs, its, finals));
            }
        }
        List<ScoreTau> zeroCost = results.isEmpty() || finals.size() < archs.size() ? List.of()
                : zeroCostTaus(archs, rows.get(tiers.get(0).label()), finals);
        return new Result(archs, finals, finalSeconds[0], String.join(",", finalOverrides), finalShare, results,
                zeroCost, rows, complete);
    }

    private Map<String, HistoryRecord> evaluate(Tier tier, List<ProxyFidelity.Arch> archs, long seed) {
        SearchConfig c = config.apply(tier.overrides()).with(Map.of("search.reward", "accuracy"));
        List<GivenEvaluations.Item> items = archs.stream().map(a -> new GivenEvaluations.Item(a.genotype(), seed)).toList();
        Map<String, HistoryRecord> out = new LinkedHashMap<>();
        GivenEvaluations.evaluate(spark, c, trainers, tierSearchId(c), items)
                .forEach((item, r) -> out.put(item.genotype().id(), r));
        return out;
    }

    /** Each architecture's final-like test accuracy per seed (those trained before the budget was spent). */
    private Map<String, double[]> finals(List<ProxyFidelity.Arch> archs, List<String> overrides, int seeds,
                                         double[] seconds, java.util.function.BooleanSupplier spent) {
        Map<String, double[]> out = new LinkedHashMap<>();
        List<Double> secs = new ArrayList<>();
        try {
            for (ProxyFidelity.Arch a : archs) {
                double[] acc = new double[seeds];
                for (int s = 1; s <= seeds; s++) {
                    FinalLike.Result r = FinalLike.train(spark, config.apply(overrides).with(Map.of("train.seed", s)),
                            study, a.genotype(), a.label());
                    acc[s - 1] = r.accuracy();
                    secs.add(r.seconds());
                    if (spent.getAsBoolean() && (s < seeds || a != archs.get(archs.size() - 1))) {
                        return out;
                    }
                }
                out.put(a.genotype().id(), acc);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            seconds[0] = secs.isEmpty() ? 0 : new Median().evaluate(secs.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }

    private TierResult figures(Tier tier, List<ProxyFidelity.Arch> archs, List<HistoryRecord> rows,
                               Map<String, Double> finals) {
        SearchConfig c = config.apply(tier.overrides());
        Map<String, List<HistoryRecord>> byArch = new LinkedHashMap<>();
        archs.forEach(a -> byArch.put(a.genotype().id(), new ArrayList<>()));
        rows.forEach(r -> byArch.get(r.archId()).add(r));
        byArch.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(HistoryRecord::seed)));
        int seeds = byArch.values().iterator().next().size();
        List<Figures> figures = new ArrayList<>();
        boolean haveFinals = finals.size() == archs.size();
        double[] truth = archs.stream().mapToDouble(a -> haveFinals ? finals.get(a.genotype().id()) : Double.NaN).toArray();
        for (RewardDefinition d : RewardDefinition.values()) {
            double[][] v = new double[archs.size()][seeds];
            for (int i = 0; i < archs.size(); i++) {
                List<HistoryRecord> its = byArch.get(archs.get(i).genotype().id());
                for (int j = 0; j < seeds; j++) {
                    HistoryRecord r = its.get(j);
                    v[i][j] = r.status().trained() ? d.of(r.accuracy(), r.measures()) : 0;
                }
            }
            double tauOne = Double.NaN;
            double tauMean = Double.NaN;
            if (haveFinals) {
                double sum = 0;
                for (int j = 0; j < seeds; j++) {
                    double[] one = new double[archs.size()];
                    for (int i = 0; i < archs.size(); i++) {
                        one[i] = v[i][j];
                    }
                    sum += kendall(one, truth);
                }
                tauOne = sum / seeds;
                tauMean = kendall(java.util.Arrays.stream(v).mapToDouble(StatUtils::mean).toArray(), truth);
            }
            int lowest = 0;
            for (int i = 1; i < v.length; i++) {
                if (StatUtils.mean(v[i]) < StatUtils.mean(v[lowest])) {
                    lowest = i;
                }
            }
            double[][] rest = new double[v.length - 1][];
            for (int i = 0, j = 0; i < v.length; i++) {
                if (i != lowest) {
                    rest[j++] = v[i];
                }
            }
            figures.add(new Figures(d, share(v), share(rest).estimate(), tauOne, tauMean));
        }
        double childSeconds = new Median().evaluate(rows.stream().mapToDouble(HistoryRecord::childSeconds).toArray());
        return new TierResult(tier.label(), c.child().budgetKey(), c.data().trainLimit(), c.data().validation(),
                archs.size(), seeds, childSeconds, figures);
    }

    private static List<ScoreTau> zeroCostTaus(List<ProxyFidelity.Arch> archs, List<HistoryRecord> base,
                                               Map<String, Double> finals) {
        double[] truth = archs.stream().mapToDouble(a -> finals.get(a.genotype().id())).toArray();
        List<ScoreTau> out = new ArrayList<>();
        Map<String, ToDoubleFunction<HistoryRecord>> scores = new LinkedHashMap<>();
        scores.put("params", r -> r.params());
        scores.put("naswot", r -> r.measures().zeroCost().naswot());
        scores.put("synflow", r -> r.measures().zeroCost().synflow());
        scores.put("grad_norm", r -> r.measures().zeroCost().gradNorm());
        for (Map.Entry<String, ToDoubleFunction<HistoryRecord>> e : scores.entrySet()) {
            // the score of each architecture's seed-1 network: what a search would know of it
            double[] x = archs.stream().mapToDouble(a -> base.stream()
                    .filter(r -> r.archId().equals(a.genotype().id())).min(java.util.Comparator.comparingLong(HistoryRecord::seed))
                    .map(e.getValue()::applyAsDouble).orElse(Double.NaN)).toArray();
            double seconds = e.getKey().equals("params") ? 0 : new Median().evaluate(base.stream()
                    .mapToDouble(r -> r.measures().zeroCost().seconds()).filter(Double::isFinite).toArray());
            out.add(new ScoreTau(e.getKey(), java.util.Arrays.stream(x).allMatch(Double::isFinite)
                    ? kendall(x, truth) : Double.NaN, seconds));
        }
        return out;
    }

    static double kendall(double[] x, double[] y) {
        return new KendallsCorrelation().correlation(x, y);
    }

    /**
     * The architecture's share of one reward's variance: the one-way random-effects intraclass
     * correlation of {@code v} (architectures x seeds), (MSA - MSE) / (MSA + (n - 1) MSE), with the exact
     * 95% interval from the F distribution (Shrout and Fleiss 1979), each clipped to [0, 1].
     */
    public static Share share(double[][] v) {
        int k = v.length;
        int n = v[0].length;
        double grand = java.util.Arrays.stream(v).flatMapToDouble(java.util.Arrays::stream).average().orElse(0);
        double ssA = 0;
        double ssE = 0;
        for (double[] a : v) {
            double m = StatUtils.mean(a);
            ssA += n * (m - grand) * (m - grand);
            for (double x : a) {
                ssE += (x - m) * (x - m);
            }
        }
        int dfA = k - 1;
        int dfE = k * (n - 1);
        double msA = ssA / dfA;
        double msE = ssE / dfE;
        if (msE == 0) {
            return new Share(msA > 0 ? 1 : 0, msA > 0 ? 1 : 0, msA > 0 ? 1 : 0);
        }
        double f = msA / msE;
        double fl = f / new FDistribution(dfA, dfE).inverseCumulativeProbability(0.975);
        double fu = f * new FDistribution(dfE, dfA).inverseCumulativeProbability(0.975);
        return new Share(clip((f - 1) / (f + n - 1)), clip((fl - 1) / (fl + n - 1)), clip((fu - 1) / (fu + n - 1)));
    }

    private static double clip(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
