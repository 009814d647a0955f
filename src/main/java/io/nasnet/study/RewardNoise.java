package io.nasnet.study;

import io.nasnet.child.RewardDefinition;
import io.nasnet.config.ConfigException;
import io.nasnet.search.SearchConfig;
import io.nasnet.controller.RandomSearch;
import io.nasnet.history.HistoryRecord;
import io.nasnet.search.TrainerFactory;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much of a child's reward is the architecture and how much the seed: K architectures (NASNet-A
 * and random ones) trained at the search's proxy with the same M seeds each (a seed sets the
 * initialization and the data order), then a two-way analysis of variance without replication:
 * the variance components of the architecture, of the seed (shared by every architecture trained
 * with it) and of what is left (the architecture-seed interaction, the noise a common seed cannot
 * remove). Rows go to the history table (search id {@code <study>-noise}), so a stopped run resumes.
 */
public final class RewardNoise {

    /** Each architecture's rewards over the seeds, in seed order. */
    public record Arch(String label, String archId, double[] rewards) {
        public double mean() {
            return StatUtils.mean(rewards);
        }

        public double sd() {
            return Math.sqrt(StatUtils.variance(rewards));
        }
    }

    /**
     * The variance components and what follows from them.
     *
     * @param archShare the share of one child's reward variance that is the architecture's
     * @param reliability the share of the variance of a reward averaged over r seeds (index r-1, r = 1..4)
     *                    that is the architecture's, children of unrelated seeds
     * @param reliabilityCommonSeed the same when the children compared share their seeds
     * @param archP the F test's p-value of "the architecture makes no difference"
     * @param seedP the same for the seed
     */
    public record Result(List<Arch> archs, List<Long> seeds, double grandMean, double archVariance,
                         double seedVariance, double residualVariance, double archShare, double[] reliability,
                         double[] reliabilityCommonSeed, double archP, double seedP) {
    }

    /**
     * A study's result: the analysis of the reward {@code search.reward} names, and of every reward
     * definition the same rows measured (absent where they lack it: rows of an earlier release).
     */
    public record Study(RewardDefinition reward, Result result, Map<RewardDefinition, Result> every) {
    }

    private RewardNoise() {
    }

    /**
     * Trains (or reads back) NASNet-A and {@code random} random architectures with seeds 1..M at
     * {@code proxy}'s budget (children whose reward is the accuracy: every definition is measured on the
     * same rows), then analyses each reward definition; {@code reward}'s is the result, refused when the
     * rows lack its measurement.
     */
    public static Study run(SparkSession spark, SearchConfig proxy, TrainerFactory trainers, String study,
                            int random, int seeds, RewardDefinition reward) {
        if (proxy.child().reward() != RewardDefinition.ACCURACY) {
            throw new IllegalArgumentException("the noise study trains its children with the accuracy as reward");
        }
        if (random < 1 || seeds < 2) {
            throw new ConfigException("the noise study needs at least 1 random architecture and 2 seeds");
        }
        List<Genotype> archs = new ArrayList<>(List.of(Presets.NASNET_A));
        new RandomSearch(new Encoding(proxy.blocks()), proxy.seed()).sample(random)
                .forEach(s -> archs.add(s.genotype()));
        List<Long> seedList = new ArrayList<>();
        for (long s = 1; s <= seeds; s++) {
            seedList.add(s);
        }
        List<GivenEvaluations.Item> items = new ArrayList<>();
        for (Genotype g : archs) {
            for (long s : seedList) {
                items.add(new GivenEvaluations.Item(g, s));
            }
        }
        Map<GivenEvaluations.Item, HistoryRecord> rows = GivenEvaluations.evaluate(spark, proxy, trainers,
                study + "-noise", items);
        Map<RewardDefinition, Result> every = new java.util.EnumMap<>(RewardDefinition.class);
        for (RewardDefinition d : RewardDefinition.values()) {
            List<Arch> out = new ArrayList<>();
            for (int i = 0; i < archs.size(); i++) {
                Genotype g = archs.get(i);
                double[] r = seedList.stream().mapToDouble(s -> {
                    HistoryRecord h = rows.get(new GivenEvaluations.Item(g, s));
                    return h.status().trained() ? d.of(h.accuracy(), h.measures()) : 0;
                }).toArray();
                out.add(new Arch(i == 0 ? "NASNet-A" : "random " + i, g.id(), r));
            }
            if (out.stream().allMatch(a -> java.util.Arrays.stream(a.rewards()).noneMatch(Double::isNaN))) {
                every.put(d, analyse(out, seedList));
            }
        }
        if (!every.containsKey(reward)) {
            throw new ConfigException("nasnet.search.reward = " + reward.key() + ": the rows of " + study + "-noise in "
                    + proxy.historyPath() + " have no " + reward.column() + " (written by a release before it was "
                    + "measured); use search.reward = accuracy, or another --study to train them anew");
        }
        return new Study(reward, every.get(reward), every);
    }

    /**
     * What a proxy whose architecture share is {@code r}'s can tell a search, in one line: the last
     * line {@code nasnet noise} prints.
     */
    public static String verdict(RewardDefinition reward, Result r) {
        String share = String.format(Locale.ROOT, "the architecture is %.0f%% of one %s reward", 100 * r.archShare(),
                reward.key());
        if (r.archShare() < 0.3) {
            return share + ": a search's best is mostly its seed; docs/search-quality.md (section 6) says what to raise";
        }
        if (r.archShare() < 0.5) {
            return share + ": a search ranks cells loosely; re-evaluate its best with fresh seeds before calling it better";
        }
        return share + ": a search's best is mostly its architecture";
    }

    /** The two-way analysis of variance of the rewards (architectures x seeds, one reward each). */
    public static Result analyse(List<Arch> archs, List<Long> seeds) {
        int k = archs.size();
        int m = seeds.size();
        double grand = archs.stream().mapToDouble(Arch::mean).average().orElse(Double.NaN);
        double[] seedMeans = new double[m];
        for (Arch a : archs) {
            for (int j = 0; j < m; j++) {
                seedMeans[j] += a.rewards()[j] / k;
            }
        }
        double ssA = 0;
        double ssS = 0;
        double ssE = 0;
        for (Arch a : archs) {
            ssA += m * Math.pow(a.mean() - grand, 2);
            for (int j = 0; j < m; j++) {
                ssE += Math.pow(a.rewards()[j] - a.mean() - seedMeans[j] + grand, 2);
            }
        }
        for (double s : seedMeans) {
            ssS += k * Math.pow(s - grand, 2);
        }
        int dfA = k - 1;
        int dfS = m - 1;
        int dfE = (k - 1) * (m - 1);
        double msA = ssA / dfA;
        double msS = ssS / dfS;
        double msE = ssE / dfE;
        double varA = Math.max(0, (msA - msE) / m);
        double varS = Math.max(0, (msS - msE) / k);
        double varE = msE;
        double[] rel = new double[4];
        double[] relCommon = new double[4];
        for (int r = 1; r <= 4; r++) {
            rel[r - 1] = varA / (varA + (varS + varE) / r);
            relCommon[r - 1] = varA / (varA + varE / r);
        }
        double pA = msE > 0 ? 1 - new FDistribution(dfA, dfE).cumulativeProbability(msA / msE) : 0;
        double pS = msE > 0 ? 1 - new FDistribution(dfS, dfE).cumulativeProbability(msS / msE) : 0;
        return new Result(List.copyOf(archs), List.copyOf(seeds), grand, varA, varS, varE,
                varA / (varA + varS + varE), rel, relCommon, pA, pS);
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /**
     * Writes {@code noise.csv} (every reward) and {@code noise.md} (the tables of {@code search.reward}'s
     * definition, then every definition's share, then the verdict); returns the markdown.
     */
    public static Path write(Study study, Path dir) throws IOException {
        Path md = write(study.result(), dir);
        StringBuilder more = new StringBuilder(String.format(Locale.ROOT, "%nThe tables above: search.reward = %s. "
                + "Every definition from the same rows:%n%n| reward | architecture's share | sd over seeds (residual) "
                + "| F test p |%n|---|---|---|---|%n", study.reward().key()));
        for (RewardDefinition d : RewardDefinition.values()) {
            Result r = study.every().get(d);
            more.append(r == null ? "| " + d.key() + " | not measured by these rows | | |\n"
                    : String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.2g |%n", d.key(), r.archShare(),
                    Math.sqrt(r.residualVariance()), r.archP()));
        }
        more.append(System.lineSeparator()).append(verdict(study.reward(), study.result())).append('.')
                .append(System.lineSeparator());
        Files.writeString(md, Files.readString(md) + more, StandardCharsets.UTF_8);
        return md;
    }

    /** Writes {@code noise.csv} (every reward) and {@code noise.md} (the tables); returns the markdown. */
    static Path write(Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("label,arch_id,seed,reward\n");
        for (Arch a : r.archs()) {
            for (int j = 0; j < r.seeds().size(); j++) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f%n", a.label(), a.archId(), r.seeds().get(j),
                        a.rewards()[j]));
            }
        }
        Files.writeString(dir.resolve("noise.csv"), csv.toString(), StandardCharsets.UTF_8);
        StringBuilder md = new StringBuilder("| architecture | mean reward | sd over seeds | min | max |\n|---|---|---|---|---|\n");
        for (Arch a : r.archs()) {
            md.append("| ").append(a.label()).append(" | ").append(f(a.mean())).append(" | ").append(f(a.sd()))
                    .append(" | ").append(f(StatUtils.min(a.rewards()))).append(" | ")
                    .append(f(StatUtils.max(a.rewards()))).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%n%d architectures x %d seeds, mean reward %.4f.%n%n"
                        + "| component | variance | sd | share |%n|---|---|---|---|%n"
                        + "| architecture | %.6f | %.4f | %.2f |%n| seed (shared by all architectures) | %.6f | %.4f | %.2f |%n"
                        + "| architecture x seed (residual) | %.6f | %.4f | %.2f |%n%n"
                        + "F tests: architecture p = %.2g, seed p = %.2g.%n%n"
                        + "| seeds averaged | architecture's share, unrelated seeds | architecture's share, common seeds |%n"
                        + "|---|---|---|%n",
                r.archs().size(), r.seeds().size(), r.grandMean(), r.archVariance(), Math.sqrt(r.archVariance()),
                r.archShare(), r.seedVariance(), Math.sqrt(r.seedVariance()),
                r.seedVariance() / (r.archVariance() + r.seedVariance() + r.residualVariance()),
                r.residualVariance(), Math.sqrt(r.residualVariance()),
                r.residualVariance() / (r.archVariance() + r.seedVariance() + r.residualVariance()), r.archP(), r.seedP()));
        for (int i = 0; i < 4; i++) {
            md.append("| ").append(i + 1).append(" | ").append(String.format(Locale.ROOT, "%.2f", r.reliability()[i]))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", r.reliabilityCommonSeed()[i])).append(" |\n");
        }
        return Files.writeString(dir.resolve("noise.md"), md.toString(), StandardCharsets.UTF_8);
    }
}
