package io.nasnet.study;

import io.nasnet.engine.RoundEngine;
import io.nasnet.child.Rungs;
import io.nasnet.config.ConfigException;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.StrategyComparison;
import io.nasnet.report.Charts;
import io.nasnet.report.StudyPage;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TrainerFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Strategies at equal budget over seeds: one search per seed and strategy, each its own id in one
 * history table, every one given the same number of children; then their comparison read back from
 * the table. Each search is an ordinary {@link SearchJob} bounded by {@code search.max-rounds} (and by
 * the configuration's {@code search.time-budget}, if any), so a study that was stopped continues where
 * it stopped when run again, and a complete one only reports.
 */
public final class StrategyStudy {

    private static final Logger LOG = LoggerFactory.getLogger(StrategyStudy.class);

    /**
     * @param name         names the study's searches: {@code <name>-<variant>-seed<seed>}
     * @param variants     strategies, each alone or with {@code -predictor} and/or {@code -rungs}
     *                     ({@code evolution-predictor}, {@code random-rungs}): {@link Variant}
     * @param seeds        the seeds each variant runs with (paired across variants)
     * @param children     children each search samples, a multiple of {@code search.population}; 0 when
     *                     the budget is {@code childSeconds}
     * @param childSeconds each search's budget in child-seconds ({@code search.child-seconds}); 0 when
     *                     the budget is {@code children}
     * @param rungs        the {@code search.rungs} and {@code search.eta} of the {@code -rungs} variants
     */
    public record Plan(String name, List<String> variants, List<Long> seeds, int children, double childSeconds,
                       Rungs rungs) {
        public Plan {
            variants = List.copyOf(variants);
            seeds = List.copyOf(seeds);
            if (variants.isEmpty() || seeds.isEmpty()) {
                throw new ConfigException("a study needs strategies and seeds");
            }
            if ((children > 0) == (childSeconds > 0)) {
                throw new ConfigException("a study's budget is either --children or --child-seconds, one of them > 0");
            }
            variants.forEach(Variant::parse);
        }

        /** A study of {@code children} children per search, without rungs. */
        public Plan(String name, List<String> variants, List<Long> seeds, int children) {
            this(name, variants, seeds, children, 0, Rungs.OFF);
        }

        public String searchId(String variant, long seed) {
            return name + "-" + variant + "-seed" + seed;
        }

        /** The history table's search id of the re-evaluations of the study's best architectures. */
        public String reevaluationId() {
            return name + "-reevaluated";
        }
    }

    /**
     * A strategy with options: {@code evolution}, {@code evolution-predictor}, {@code random-rungs},
     * {@code ppo-predictor-rungs}.
     */
    public record Variant(String strategy, boolean predictor, boolean rungs) {
        public static Variant parse(String text) {
            String[] parts = text.trim().split("-");
            boolean predictor = false;
            boolean rungs = false;
            for (int i = 1; i < parts.length; i++) {
                switch (parts[i]) {
                    case "predictor" -> predictor = true;
                    case "rungs" -> rungs = true;
                    default -> throw new ConfigException("study variant '" + text + "': '" + parts[i] + "' is not an "
                            + "option; a variant is a strategy (" + String.join(", ", io.nasnet.controller.Strategies.names())
                            + ") with -predictor and/or -rungs");
                }
            }
            try {
                return new Variant(io.nasnet.controller.Strategies.canonical(parts[0]), predictor, rungs);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("study variant '" + text + "': " + e.getMessage(), e);
            }
        }

        /** The configuration values that make a search of this variant. */
        Map<String, Object> values(Rungs r) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("search.strategy", strategy);
            if (predictor) {
                out.put("predictor.enabled", true);
            }
            if (rungs) {
                out.put("search.rungs", r.rungs());
                out.put("search.eta", r.eta());
            }
            return out;
        }
    }

    private final SparkSession spark;
    private final Function<List<String>, SearchConfig> config;
    private final TrainerFactory trainers;
    private final java.time.Clock clock;

    /**
     * @param config the configuration with {@code key=value} overrides applied (the command line's
     *               {@code --conf} and {@code --set}, then the study's own keys)
     */
    public StrategyStudy(SparkSession spark, Function<List<String>, SearchConfig> config, TrainerFactory trainers) {
        this(spark, config, trainers, java.time.Clock.systemUTC());
    }

    /** The same, its time budget read from {@code clock}. */
    public StrategyStudy(SparkSession spark, Function<List<String>, SearchConfig> config, TrainerFactory trainers,
                         java.time.Clock clock) {
        this.spark = spark;
        this.config = config;
        this.trainers = trainers;
        this.clock = clock;
    }

    /** The configuration of one search of the study. */
    public SearchConfig searchConfig(Plan plan, String variant, long seed) {
        return config.apply(List.of()).with(values(plan, variant, seed));
    }

    /** The values that make one search of the study out of the configuration. */
    private Map<String, Object> values(Plan plan, String variant, long seed) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("search.id", plan.searchId(variant, seed));
        values.put("search.seed", seed);
        values.putAll(Variant.parse(variant).values(plan.rungs()));
        if (plan.children() > 0) {
            int population = config.apply(List.of()).population();
            if (plan.children() % population != 0) {
                throw new ConfigException("--children " + plan.children() + " is not a multiple of nasnet.search.population = "
                        + population + ": every search of a study must sample the same number of children");
            }
            int rounds = plan.children() / population;
            values.put("search.rounds", rounds);
            values.put("search.max-rounds", rounds);
        } else {
            values.put("search.rounds", 0);
            values.put("search.max-rounds", 0);
            values.put("search.child-seconds", plan.childSeconds());
        }
        return values;
    }

    /**
     * Runs (or continues) every search of the plan, seed by seed; with a time budget (not zero), no search
     * starts once it is spent and the last one stops at its end, after saying how far the study will get.
     */
    public void run(Plan plan, java.time.Duration timeBudget) throws IOException {
        SearchConfig base = config.apply(List.of());
        List<Map<String, Object>> searches = new ArrayList<>();
        for (long seed : plan.seeds()) {
            for (String variant : plan.variants()) {
                searches.add(values(plan, variant, seed));
            }
        }
        java.time.Instant deadline = timeBudget.isZero() ? java.time.Instant.MAX : clock.instant().plus(timeBudget);
        if (!timeBudget.isZero() && plan.childSeconds() > 0) {
            LOG.info(reach(plan.childSeconds(), searches.size(), Math.max(1, spark.sparkContext().defaultParallelism()),
                    timeBudget));
        }
        int i = 0;
        for (Map<String, Object> values : searches) {
            SearchConfig c = base.with(values);
            java.time.Duration left = java.time.Duration.between(clock.instant(), deadline);
            if (!timeBudget.isZero() && (left.isNegative() || left.isZero())) {
                LOG.info("study {}: its time budget of {} is spent before search {} of {}; run it again to continue",
                        plan.name(), timeBudget, i + 1, searches.size());
                return;
            }
            LOG.info("study {}: search {} of {}: {} ({}, seed {})", plan.name(), ++i, searches.size(), c.searchId(),
                    c.strategy(), c.seed());
            Map<String, Object> budgeted = new LinkedHashMap<>(values);
            budgeted.put("search.time-budget", java.time.Duration.ofSeconds(Math.max(1, left.toSeconds())));
            SearchConfig run = timeBudget.isZero() ? c : base.with(budgeted);
            RoundEngine.Summary s = new SearchJob(spark, run, trainers, clock).run();
            LOG.info("study {}: {} {}", plan.name(), c.searchId(), s.complete() && s.roundsRun() == 0
                    ? "was already complete" : "ran " + s.roundsRun() + " round(s)");
        }
    }

    /**
     * What a study of {@code searches} searches of {@code childSeconds} each can do in {@code time} on
     * {@code slots} task slots: children train {@code slots} at a time, so a search takes at least
     * childSeconds / slots of wall time.
     */
    public static String reach(double childSeconds, int searches, int slots, java.time.Duration time) {
        double perSearch = childSeconds / slots;
        double need = perSearch * searches;
        double have = time.toSeconds();
        if (need <= have) {
            return String.format(java.util.Locale.ROOT, "the study's %d searches of %.0f child-seconds need at least "
                    + "%.0f minutes on %d slots; its time budget is %d minutes", searches, childSeconds, need / 60, slots,
                    time.toMinutes());
        }
        return String.format(java.util.Locale.ROOT, "the study's %d searches of %.0f child-seconds need at least %.0f "
                        + "minutes on %d slots, more than its time budget of %d minutes: it will get through about %d of "
                        + "them (and re-evaluate none); run it again to continue", searches, childSeconds, need / 60,
                slots, time.toMinutes(), (int) Math.floor(have / perSearch));
    }

    private static String fmt(double x) {
        return String.format(java.util.Locale.ROOT, "%.4f", x);
    }

    /** The first seed of the re-evaluations: far from any search's child seeds ({@link SearchJob#childSeed}). */
    static final long REEVALUATION_SEED = 900_000L;

    /**
     * The plan's searches at equal child-seconds ({@link Anytime}): each search's incumbent at
     * {@code grid} evenly spaced budgets re-evaluated with {@code seeds} fresh seeds at the search's
     * proxy (rows in {@link Plan#reevaluationId()}, trained once, shared by every search that found the
     * architecture). The budget is the plan's child-seconds, or with a children budget the least any
     * search spent.
     */
    public Anytime.Result anytime(Plan plan, int seeds, int grid) {
        if (seeds < 1 || grid < 1) {
            throw new ConfigException("re-evaluation needs at least one seed and one checkpoint");
        }
        SearchConfig base = config.apply(List.of());
        HistoryTable table = new HistoryTable(spark, base.historyPath());
        List<Anytime.Trace> whole = new ArrayList<>();
        for (long seed : plan.seeds()) {
            for (String variant : plan.variants()) {
                List<io.nasnet.history.HistoryRecord> rows = table.records(plan.searchId(variant, seed));
                if (!rows.isEmpty()) {
                    whole.add(Anytime.Trace.of(plan.searchId(variant, seed), variant, seed, rows, 0));
                }
            }
        }
        if (whole.isEmpty()) {
            throw new IllegalStateException("no search of study '" + plan.name() + "' in the history table at "
                    + base.historyPath());
        }
        double budget = plan.childSeconds() > 0 ? plan.childSeconds()
                : whole.stream().mapToDouble(Anytime.Trace::total).min().orElseThrow();
        List<Anytime.Trace> traces = new ArrayList<>();
        for (Anytime.Trace t : whole) {
            traces.add(Anytime.Trace.of(t.searchId(), t.variant(), t.seed(), table.records(t.searchId()), budget));
        }
        double[] checkpoints = Anytime.checkpoints(budget, grid);
        List<GivenEvaluations.Item> items = new ArrayList<>();
        for (String g : Anytime.incumbents(traces, checkpoints)) {
            for (int k = 1; k <= seeds; k++) {
                items.add(new GivenEvaluations.Item(io.nasnet.space.Genotype.parse(g), REEVALUATION_SEED + k));
            }
        }
        LOG.info("study {}: re-evaluating {} architecture(s) with {} seed(s) each", plan.name(), items.size() / seeds, seeds);
        java.util.Map<String, org.apache.commons.math3.stat.descriptive.SummaryStatistics> q = new java.util.HashMap<>();
        GivenEvaluations.evaluate(spark, base, trainers, plan.reevaluationId(), items).values()
                .forEach(h -> q.computeIfAbsent(h.archId(), k -> new org.apache.commons.math3.stat.descriptive.SummaryStatistics())
                        .addValue(h.reward()));
        java.util.Map<String, Double> quality = new java.util.HashMap<>();
        q.forEach((arch, st) -> quality.put(arch, st.getMean()));
        return Anytime.analyse(traces, checkpoints, quality, io.nasnet.controller.RandomSearch.NAME);
    }

    /** A variant's architecture at the final-like budget: its re-evaluated proxy quality and its test accuracy. */
    public record FinalPoint(String variant, String archId, double quality, double accuracy, double seconds) {
    }

    /**
     * Each variant's {@code top} architectures by re-evaluated quality (its searches' incumbents at the
     * whole budget) trained once at the final-like budget ({@code finalOverrides} on {@code train.*} and
     * {@code data.*}, as {@code nasnet fidelity --final}); trainings the final table holds are read back.
     */
    public List<FinalPoint> finalLike(Plan plan, Anytime.Result r, int top, List<String> finalOverrides)
            throws IOException {
        SearchConfig c = config.apply(finalOverrides);
        List<FinalPoint> out = new ArrayList<>();
        for (Anytime.VariantFigures v : r.variants()) {
            java.util.Map<String, Anytime.SearchFigures> best = new java.util.LinkedHashMap<>();
            r.searches().stream().filter(s -> s.variant().equals(v.variant()) && s.finalGenotype() != null
                            && !Double.isNaN(s.finalQuality()))
                    .sorted(java.util.Comparator.comparingDouble(Anytime.SearchFigures::finalQuality).reversed())
                    .forEach(s -> best.putIfAbsent(s.finalArch(), s));
            for (Anytime.SearchFigures s : best.values().stream().limit(top).toList()) {
                FinalLike.Result f = FinalLike.train(spark, c, plan.name(), io.nasnet.space.Genotype.parse(s.finalGenotype()),
                        v.variant() + " " + s.searchId());
                out.add(new FinalPoint(v.variant(), s.finalArch(), s.finalQuality(), f.accuracy(), f.seconds()));
            }
        }
        return out;
    }

    /** The final-like trainings as a markdown table. */
    public static String finalsMarkdown(List<FinalPoint> finals, String budget) {
        StringBuilder s = new StringBuilder("\nAt the final-like budget (" + budget + "):\n\n"
                + "| variant | architecture | re-evaluated proxy quality | final-like test accuracy | seconds |\n"
                + "|---|---|---|---|---|\n");
        for (FinalPoint f : finals) {
            s.append(String.format(java.util.Locale.ROOT, "| %s | `%s` | %.4f | %.4f | %.0f |%n", f.variant(), f.archId(),
                    f.quality(), f.accuracy(), f.seconds()));
        }
        return s.toString();
    }

    /**
     * Writes {@code anytime.png} (the curves), {@code anytime.csv}, {@code study.md} (the tables) and
     * {@code index.html} (the chart and the per-variant table) into {@code dir}; returns the markdown.
     */
    public static Path write(Anytime.Result r, String finals, Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.Map<String, double[][]> curves = new java.util.LinkedHashMap<>();
        for (Anytime.VariantFigures v : r.variants()) {
            curves.put(v.variant() + " (" + v.seeds() + " seeds)", new double[][]{r.checkpoints(), v.median(), v.low(), v.high()});
        }
        Charts.anytime(curves, dir.resolve("anytime.png"));
        Files.writeString(dir.resolve("anytime.csv"), Anytime.curvesCsv(r), StandardCharsets.UTF_8);
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("variant", "seeds", "re-evaluated best (median)", "95% band", "seeds won", "Wilcoxon p (best)",
                "Wilcoxon p (top 5)", "child-seconds to target"));
        for (Anytime.VariantFigures v : r.variants()) {
            boolean base = v.variant().equals(r.baseline());
            table.add(List.of(v.variant(), String.valueOf(v.seeds()), fmt(v.finalMedian()),
                    fmt(v.low()[v.low().length - 1]) + " - " + fmt(v.high()[v.high().length - 1]),
                    base ? "baseline" : v.wins() + " of " + v.pairs(), base ? "" : String.format(java.util.Locale.ROOT,
                            "%.3g", v.pFinal()), base ? "" : String.format(java.util.Locale.ROOT, "%.3g", v.pTop5()),
                    Double.isNaN(v.timeToTarget()) ? "not reached" : String.format(java.util.Locale.ROOT, "%.0f",
                            v.timeToTarget())));
        }
        StudyPage.write(dir, "Strategies at equal child-seconds", String.format(java.util.Locale.ROOT,
                "Each search's best architecture so far, re-evaluated with fresh seeds, at %.0f child-seconds per "
                        + "search; paired by seed against %s (target: its final median, %.4f).", r.budget(), r.baseline(),
                r.target()), "anytime.png", "Median over seeds of the re-evaluated quality of the best architecture "
                        + "found by each budget (solid), between its 95% bootstrap band (dashed).", table);
        return Files.writeString(dir.resolve("study.md"), Anytime.markdown(r) + finals, StandardCharsets.UTF_8);
    }

    /** The comparison of the plan's searches as the history table holds them now. */
    public StrategyComparison compare(Plan plan) {
        List<StrategyComparison.Entry> entries = new ArrayList<>();
        for (long seed : plan.seeds()) {
            for (String variant : plan.variants()) {
                entries.add(new StrategyComparison.Entry(plan.searchId(variant, seed), variant, seed));
            }
        }
        return StrategyComparison.of(new HistoryTable(spark, config.apply(List.of()).historyPath()), entries,
                plan.children());
    }

    /**
     * Writes {@code comparison.png} (best so far over seeds), {@code comparison.csv} (its curves),
     * {@code searches.csv} (each search's end), {@code comparison.md} (the tables) and
     * {@code index.html} (the chart and each search's end) into {@code dir}; returns the markdown.
     */
    public static Path write(StrategyComparison c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Charts.comparison(c, dir.resolve("comparison.png"));
        Files.writeString(dir.resolve("comparison.csv"), c.curvesCsv(), StandardCharsets.UTF_8);
        StringBuilder ends = new StringBuilder("search_id,strategy,seed,children,best,top5_mean,top25_mean\n");
        for (StrategyComparison.SearchEnd e : c.searches()) {
            ends.append(String.format(java.util.Locale.ROOT, "%s,%s,%d,%d,%.6f,%.6f,%.6f%n", e.searchId(),
                    e.strategy(), e.seed(), e.children(), e.best(), e.top5(), e.top25()));
        }
        Files.writeString(dir.resolve("searches.csv"), ends.toString(), StandardCharsets.UTF_8);
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("search", "strategy", "seed", "children", "best", "mean of top 5", "mean of top 25"));
        for (StrategyComparison.SearchEnd e : c.searches()) {
            table.add(List.of(e.searchId(), e.strategy(), String.valueOf(e.seed()), String.valueOf(e.children()),
                    fmt(e.best()), fmt(e.top5()), fmt(e.top25())));
        }
        StudyPage.write(dir, "Strategies at equal budget", "One search per seed and strategy, each sampling the same "
                + "number of children; figures read back from the history table.", "comparison.png",
                "Best so far against children sampled: per strategy the mean over its seeds (solid) between the "
                        + "lowest and the highest seed (dashed).", table);
        return Files.writeString(dir.resolve("comparison.md"), c.markdown(), StandardCharsets.UTF_8);
    }
}
