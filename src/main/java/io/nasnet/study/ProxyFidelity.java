package io.nasnet.study;

import io.nasnet.child.RewardDefinition;
import io.nasnet.config.ConfigException;
import io.nasnet.search.SearchConfig;
import io.nasnet.controller.RandomSearch;
import io.nasnet.controller.Sample;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.search.TrainerFactory;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import io.nasnet.train.FinalSettings;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How well the search's cheap reward ranks architectures the way a longer training does. A set of
 * architectures (spread over a search's reward range, NASNet-A, a few random ones) is evaluated at
 * each proxy budget as a search evaluates children, on the Spark executors, into the history table
 * (strategy {@link HistoryRecord#GIVEN}), and trained once at a final-like budget with
 * {@code nasnet train}'s trainer into {@code nas_final}; Kendall's tau and Spearman's rho compare
 * the rankings. Whatever the table already holds is not trained again, so a stopped study resumes.
 */
public final class ProxyFidelity {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyFidelity.class);

    /** An architecture of the study and why it is in it. */
    public record Arch(String label, Genotype genotype) {
    }

    /**
     * A proxy: {@code key=value} overrides of the child and data settings ({@code child.epochs=2,
     * data.train-limit=4000}); none is the configuration's own child budget.
     */
    public record Proxy(List<String> overrides) {
        public Proxy {
            overrides = List.copyOf(overrides);
            for (String o : overrides) {
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
                if (!key.startsWith("child.") && !key.startsWith("data.train-limit")) {
                    throw new ConfigException("a proxy sets child.* keys and data.train-limit only, not '" + o + "'");
                }
            }
        }

        public static Proxy parse(String text) {
            return new Proxy(ProxyFidelity.overrides(text));
        }

        public String label() {
            return overrides.isEmpty() ? "search budget" : String.join(",", overrides);
        }
    }

    /** {@code "a=1,b=2"} as the overrides {@code a=1} and {@code b=2}. */
    public static List<String> overrides(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * One architecture at one proxy, and its final-like training.
     *
     * @param rewards the child's reward under each {@link RewardDefinition}, from the same row (NaN where
     *                the row lacks the measurement)
     */
    public record Point(String proxy, String archId, String label, double proxyReward, double proxySeconds,
                        double finalAccuracy, double finalSeconds, Map<RewardDefinition, Double> rewards) {
    }

    /**
     * A proxy's fidelity: its budget, the rank correlations over the architectures, its median child time.
     *
     * @param tauByReward Kendall's tau of each reward definition the rows measured
     */
    public record Fidelity(String proxy, String budget, int trainLimit, int architectures, double kendallTau,
                           double spearmanRho, double medianProxySeconds, Map<RewardDefinition, Double> tauByReward) {
    }

    /** The points and the per-proxy figures. */
    public record Result(List<Point> points, List<Fidelity> proxies, String finalBudget) {
    }

    private final SparkSession spark;
    private final Function<List<String>, SearchConfig> config;
    private final TrainerFactory trainers;
    private final String study;

    public ProxyFidelity(SparkSession spark, Function<List<String>, SearchConfig> config, TrainerFactory trainers,
                         String study) {
        requireName(study);
        this.spark = spark;
        this.config = config;
        this.trainers = trainers;
        this.study = study;
    }

    /** A study's name, which names its rows: letters, digits, '.', '_' or '-'. */
    static void requireName(String study) {
        if (!study.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException("study name '" + study + "' must be letters, digits, '.', '_' or '-'");
        }
    }

    /**
     * {@code spread} architectures of {@code searchId} at evenly spaced ranks of its rewards (best and
     * worst included), NASNet-A, and {@code random} architectures drawn uniformly with {@code seed}.
     */
    public List<Arch> pick(String searchId, int spread, int random, long seed) {
        SearchConfig c = config.apply(List.of());
        List<HistoryRecord> rows = new HistoryTable(spark, c.historyPath()).records(searchId);
        Map<String, HistoryRecord> best = new LinkedHashMap<>();
        rows.stream().filter(r -> r.status().measured())
                .sorted(Comparator.comparingDouble(HistoryRecord::reward).reversed())
                .forEach(r -> best.putIfAbsent(r.archId(), r));
        if (best.size() < Math.min(spread, 2)) {
            throw new ConfigException("search '" + searchId + "' in " + c.historyPath() + " has " + best.size()
                    + " trained architecture(s); the study needs " + spread);
        }
        List<HistoryRecord> ranked = new ArrayList<>(best.values());
        Map<String, Arch> out = new LinkedHashMap<>();
        int k = Math.min(spread, ranked.size());
        for (int i = 0; i < k; i++) {
            int rank = k == 1 ? 0 : (int) Math.round(i * (ranked.size() - 1) / (double) (k - 1));
            HistoryRecord r = ranked.get(rank);
            out.putIfAbsent(r.archId(), new Arch(String.format(Locale.ROOT, "%s rank %d of %d", searchId, rank + 1,
                    ranked.size()), Genotype.parse(r.genotype())));
        }
        out.putIfAbsent(Presets.NASNET_A.id(), new Arch("NASNet-A", Presets.NASNET_A));
        List<Sample> drawn = new RandomSearch(new Encoding(c.blocks()), seed).sample(random);
        for (int i = 0; i < drawn.size(); i++) {
            Genotype g = drawn.get(i).genotype();
            out.putIfAbsent(g.id(), new Arch("random " + (i + 1), g));
        }
        return List.copyOf(out.values());
    }

    /** The history table's search id of a proxy's evaluations: the study's name and a hash of the budget. */
    public String proxySearchId(SearchConfig proxyConfig) {
        return study + "-proxy-" + DigestUtils.sha256Hex(proxyConfig.child().budgetKey() + "|"
                + proxyConfig.data().trainLimit()).substring(0, 8);
    }

    /**
     * Evaluates the architectures at every proxy and trains each once at the final-like budget
     * ({@code finalOverrides} on the configuration's {@code train.*} and {@code data.*}), skipping what
     * the tables already hold.
     */
    public Result run(List<Arch> archs, List<Proxy> proxies, List<String> finalOverrides) throws IOException {
        SearchConfig finalConfig = config.apply(finalOverrides);
        Map<String, FinalLike.Result> finals = new LinkedHashMap<>();
        List<Point> points = new ArrayList<>();
        List<Fidelity> fidelities = new ArrayList<>();
        Map<Proxy, SearchConfig> proxyConfigs = new LinkedHashMap<>();
        Map<Proxy, Map<String, HistoryRecord>> proxyRows = new LinkedHashMap<>();
        for (Proxy p : proxies) {
            proxyConfigs.put(p, config.apply(p.overrides()));
            proxyRows.put(p, evaluate(proxyConfigs.get(p), archs));
        }
        for (Arch a : archs) {
            finals.put(a.genotype().id(), FinalLike.train(spark, finalConfig, study, a.genotype(), a.label()));
        }
        for (Proxy p : proxies) {
            SearchConfig pc = proxyConfigs.get(p);
            Map<String, HistoryRecord> rows = proxyRows.get(p);
            List<Point> ps = new ArrayList<>();
            for (Arch a : archs) {
                HistoryRecord r = rows.get(a.genotype().id());
                FinalLike.Result f = finals.get(a.genotype().id());
                Map<RewardDefinition, Double> byDefinition = new java.util.EnumMap<>(RewardDefinition.class);
                for (RewardDefinition d : RewardDefinition.values()) {
                    byDefinition.put(d, r.status().trained() ? d.of(r.accuracy(), r.measures()) : 0);
                }
                ps.add(new Point(p.label(), a.genotype().id(), a.label(), r.reward(), r.trainSeconds(), f.accuracy(),
                        f.seconds(), byDefinition));
            }
            points.addAll(ps);
            Map<RewardDefinition, Double> taus = new java.util.EnumMap<>(RewardDefinition.class);
            for (RewardDefinition d : RewardDefinition.values()) {
                double[] x = ps.stream().mapToDouble(pt -> pt.rewards().get(d)).toArray();
                if (ps.size() >= 2 && Arrays.stream(x).noneMatch(Double::isNaN)) {
                    taus.put(d, new KendallsCorrelation().correlation(x, fin(ps)));
                }
            }
            fidelities.add(new Fidelity(p.label(), pc.child().budgetKey(), pc.data().trainLimit(), ps.size(),
                    kendall(ps), spearman(ps), new Median().evaluate(ps.stream().mapToDouble(Point::proxySeconds).toArray()),
                    taus));
        }
        FinalSettings s = finalConfig.train();
        String finalBudget = String.format(Locale.ROOT, "%s %d @ %d, %d epochs, batch %d, lr %s, train-limit %d",
                s.stackingName(), s.n(), 24 * s.f(), s.epochs(), s.batchSize(), s.learningRate(),
                finalConfig.data().trainLimit());
        return new Result(points, fidelities, finalBudget);
    }

    /** The architectures' rows at one proxy, one evaluation each, evaluating those the table lacks as one more round. */
    private Map<String, HistoryRecord> evaluate(SearchConfig proxy, List<Arch> archs) {
        LOG.info("study {}: proxy {} ({}, train-limit {})", study, proxySearchId(proxy), proxy.child().budgetKey(),
                proxy.data().trainLimit());
        Map<String, HistoryRecord> have = new LinkedHashMap<>();
        GivenEvaluations.evaluate(spark, proxy, trainers, proxySearchId(proxy),
                        archs.stream().map(a -> new GivenEvaluations.Item(a.genotype(), null)).toList())
                .forEach((item, row) -> have.put(item.genotype().id(), row));
        return have;
    }

    static double kendall(List<Point> ps) {
        return ps.size() < 2 ? Double.NaN : new KendallsCorrelation().correlation(proxy(ps), fin(ps));
    }

    static double spearman(List<Point> ps) {
        return ps.size() < 2 ? Double.NaN : new SpearmansCorrelation().correlation(proxy(ps), fin(ps));
    }

    static double[] proxy(List<Point> ps) {
        return ps.stream().mapToDouble(Point::proxyReward).toArray();
    }

    static double[] fin(List<Point> ps) {
        return ps.stream().mapToDouble(Point::finalAccuracy).toArray();
    }
}
