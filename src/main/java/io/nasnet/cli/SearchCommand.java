package io.nasnet.cli;

import io.nasnet.engine.RoundEngine;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryTable;
import io.nasnet.report.Report;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TrainerFactory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code search}: run (or continue) a search for some rounds or a time budget. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Run a search, or continue it when the search id exists.")
final class SearchCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--search-id", description = "search to run or continue (nasnet.search.id)")
    String searchId;

    @Option(names = "--rounds", description = "rounds this run may do; 0 = until the time budget (nasnet.search.rounds)")
    Integer rounds;

    @Option(names = "--time-budget", description = "wall-clock budget, e.g. 6h or 90m (nasnet.search.time-budget)")
    String timeBudget;

    @Option(names = "--strategy", description = "ppo, reinforce, random or evolution (nasnet.search.strategy)")
    String strategy;

    @Option(names = "--warm-start", split = ",", paramLabel = "SEARCH_ID",
            description = "earlier searches a new search starts from (nasnet.search.warm-start)")
    List<String> warmStart;

    @Option(names = "--report", paramLabel = "DIR", description = "after the run, write the search's HTML report here "
            + "(any Hadoop FileSystem path; in YARN cluster mode by default next to the history table: HISTORY/../reports/SEARCH_ID)")
    String reportDir;

    @Spec
    CommandSpec spec;

    /** The configuration with this command line's options applied. */
    SearchConfig config() {
        List<String> sets = new ArrayList<>();
        ConfigOptions.set(sets, "search.id", searchId);
        ConfigOptions.set(sets, "search.rounds", rounds);
        ConfigOptions.set(sets, "search.time-budget", timeBudget);
        ConfigOptions.set(sets, "search.strategy", strategy);
        if (warmStart != null) {
            sets.add("search.warm-start=" + com.typesafe.config.ConfigValueFactory.fromIterable(warmStart).render());
        }
        return options.load(sets);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SearchConfig config = config();
        SparkSession spark = Spark.session(config);
        RoundEngine.Summary s = new SearchJob(spark, config, TrainerFactory.dl4j()).run();
        out.println("search " + s.searchId() + ": ran " + s.roundsRun() + " round(s) from round " + s.firstRound()
                + (s.complete() ? "; the search is complete (search.max-rounds = " + config.maxRounds() + ")" : ""));
        out.println("history table: " + s.historyPath());
        s.best().ifPresentOrElse(b -> {
            if (b.reward() == b.accuracy()) {
                out.printf("best architecture %s, validation accuracy %.4f (round %d, child %d):%n", b.archId(),
                        b.reward(), b.round(), b.childIndex());
            } else if (b.rewardSize() > 0) {
                out.printf("best architecture %s, reward %.4f = validation accuracy %.4f weighed by its size %,d "
                        + "(round %d, child %d):%n", b.archId(), b.reward(), b.accuracy(), b.rewardSize(), b.round(),
                        b.childIndex());
            } else {
                out.printf("best architecture %s, reward %.4f (search.reward = %s; validation accuracy %.4f) "
                        + "(round %d, child %d):%n", b.archId(), b.reward(), config.child().reward().key(),
                        b.accuracy(), b.round(), b.childIndex());
            }
            out.println("  " + b.genotype());
        }, () -> out.println("no child trained successfully yet"));
        Outputs outputs = new Outputs(spark);
        if (reportDir != null || outputs.clusterMode()) {
            Report report = Report.of(new HistoryTable(spark, config.historyPath()), s.searchId());
            out.println("report: " + outputs.write(outputs.folder(reportDir, config.historyPath(), "reports", s.searchId()),
                    report::write));
        }
        out.flush();
        return 0;
    }
}
