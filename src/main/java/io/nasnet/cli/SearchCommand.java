package io.nasnet.cli;

import io.nasnet.config.SearchConfig;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TrainerFactory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code search}: run (or continue) a search for some rounds or a time budget. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Run a search, or continue it when the search id exists.")
final class SearchCommand implements Callable<Integer> {

    @Option(names = "--conf", description = "HOCON configuration file (keys in reference.conf)")
    File conf;

    @Option(names = "--search-id", description = "search to run or continue (nasnet.search.id)")
    String searchId;

    @Option(names = "--rounds", description = "rounds this run may do; 0 = until the time budget (nasnet.search.rounds)")
    Integer rounds;

    @Option(names = "--time-budget", description = "wall-clock budget, e.g. 6h or 90m (nasnet.search.time-budget)")
    String timeBudget;

    @Option(names = "--strategy", description = "ppo, reinforce or random (nasnet.search.strategy)")
    String strategy;

    @Option(names = "--set", description = "override a key: --set child.epochs=2 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> sets = new ArrayList<>(overrides);
        if (searchId != null) {
            sets.add("search.id=\"" + searchId + "\"");
        }
        if (rounds != null) {
            sets.add("search.rounds=" + rounds);
        }
        if (timeBudget != null) {
            SearchJob.duration(timeBudget);
            sets.add("search.time-budget=" + timeBudget);
        }
        if (strategy != null) {
            sets.add("search.strategy=" + strategy);
        }
        SearchConfig config = SearchConfig.load(conf, sets);
        SearchJob.preflight(config, new org.apache.hadoop.conf.Configuration());
        SparkSession spark = Spark.session(config.appName(), config.sparkMaster());
        SearchJob.Summary s = new SearchJob(spark, config, TrainerFactory.dl4j()).run();
        System.out.println("search " + s.searchId() + ": ran " + s.roundsRun() + " round(s) from round " + s.firstRound());
        System.out.println("history table: " + s.historyPath());
        s.best().ifPresentOrElse(b -> {
            System.out.printf("best architecture %s, validation accuracy %.4f (round %d, child %d):%n", b.archId(),
                    b.reward(), b.round(), b.childIndex());
            System.out.println("  " + b.genotype());
        }, () -> System.out.println("no child trained successfully yet"));
        return 0;
    }
}
