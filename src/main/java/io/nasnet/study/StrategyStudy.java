package io.nasnet.study;

import com.typesafe.config.ConfigUtil;
import io.nasnet.config.ConfigException;
import io.nasnet.config.SearchConfig;
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
import java.util.List;
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
     * @param name       names the study's searches: {@code <name>-<strategy>-seed<seed>}
     * @param strategies ppo, reinforce, random
     * @param seeds      the seeds each strategy runs with (paired across strategies)
     * @param children   children each search samples: a multiple of {@code search.population}
     */
    public record Plan(String name, List<String> strategies, List<Long> seeds, int children) {
        public Plan {
            strategies = List.copyOf(strategies);
            seeds = List.copyOf(seeds);
            if (strategies.isEmpty() || seeds.isEmpty() || children < 1) {
                throw new ConfigException("a study needs strategies, seeds and children >= 1");
            }
        }

        public String searchId(String strategy, long seed) {
            return name + "-" + strategy + "-seed" + seed;
        }
    }

    private final SparkSession spark;
    private final Function<List<String>, SearchConfig> config;
    private final TrainerFactory trainers;

    /**
     * @param config the configuration with {@code key=value} overrides applied (the command line's
     *               {@code --conf} and {@code --set}, then the study's own keys)
     */
    public StrategyStudy(SparkSession spark, Function<List<String>, SearchConfig> config, TrainerFactory trainers) {
        this.spark = spark;
        this.config = config;
        this.trainers = trainers;
    }

    /** The configuration of one search of the study. */
    public SearchConfig searchConfig(Plan plan, String strategy, long seed) {
        int population = config.apply(List.of()).population();
        if (plan.children() % population != 0) {
            throw new ConfigException("--children " + plan.children() + " is not a multiple of nasnet.search.population = "
                    + population + ": every search of a study must sample the same number of children");
        }
        int rounds = plan.children() / population;
        return config.apply(List.of("search.id=" + ConfigUtil.quoteString(plan.searchId(strategy, seed)),
                "search.strategy=" + strategy, "search.seed=" + seed, "search.rounds=" + rounds,
                "search.max-rounds=" + rounds));
    }

    /** Runs (or continues) every search of the plan, seed by seed; returns them as comparison entries. */
    public List<StrategyComparison.Entry> run(Plan plan) throws IOException {
        List<SearchConfig> configs = new ArrayList<>();
        for (long seed : plan.seeds()) {
            for (String strategy : plan.strategies()) {
                configs.add(searchConfig(plan, strategy, seed));
            }
        }
        List<StrategyComparison.Entry> entries = new ArrayList<>();
        int i = 0;
        for (SearchConfig c : configs) {
            LOG.info("study {}: search {} of {}: {} ({}, seed {})", plan.name(), ++i, configs.size(), c.searchId(),
                    c.strategy(), c.seed());
            SearchJob.Summary s = new SearchJob(spark, c, trainers).run();
            LOG.info("study {}: {} {}", plan.name(), c.searchId(), s.complete() && s.roundsRun() == 0
                    ? "was already complete" : "ran " + s.roundsRun() + " round(s)");
            entries.add(new StrategyComparison.Entry(c.searchId(), c.strategy(), c.seed()));
        }
        return entries;
    }

    private static String fmt(double x) {
        return String.format(java.util.Locale.ROOT, "%.4f", x);
    }

    /** The comparison of the plan's searches as the history table holds them now. */
    public StrategyComparison compare(Plan plan) {
        List<StrategyComparison.Entry> entries = new ArrayList<>();
        for (long seed : plan.seeds()) {
            for (String strategy : plan.strategies()) {
                entries.add(new StrategyComparison.Entry(plan.searchId(strategy, seed), strategy, seed));
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
        System.setProperty("java.awt.headless", "true");
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
