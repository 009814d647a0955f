package io.nasnet.cli;

import io.nasnet.history.StrategyComparison;
import io.nasnet.search.TrainerFactory;
import io.nasnet.study.StrategyStudy;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

/** {@code compare}: strategies at equal budget over seeds, each search in the history table; resumable. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run (or continue) one search per seed and strategy at equal budget, then compare them.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--study", defaultValue = "quality", description = "names the searches: STUDY-STRATEGY-seedN (default: ${DEFAULT-VALUE})")
    String study;

    @Option(names = "--strategies", split = ",", defaultValue = "ppo,random",
            description = "strategies to compare, each with -predictor and/or -rungs if wanted: "
                    + "random,evolution-predictor,random-rungs (default: ${DEFAULT-VALUE})")
    List<String> strategies;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds per strategy: S (1..S), A-B, or a list "
            + "A,B,C (default: ${DEFAULT-VALUE})")
    String seeds;

    @Option(names = "--children", description = "budget: children each search samples, a multiple of nasnet.search.population")
    Integer children;

    @Option(names = "--child-seconds", description = "budget: child-seconds each search may spend (search.child-seconds); "
            + "the result is then each search's best re-evaluated at equal child-seconds")
    Double childSeconds;

    @Option(names = "--rungs", defaultValue = "2", description = "search.rungs of the -rungs variants (default: ${DEFAULT-VALUE})")
    int rungs;

    @Option(names = "--eta", defaultValue = "3", description = "search.eta of the -rungs variants (default: ${DEFAULT-VALUE})")
    int eta;

    @Option(names = "--reevaluate", defaultValue = "3", description = "with --child-seconds: fresh seeds each search's "
            + "best so far is re-evaluated with (default: ${DEFAULT-VALUE})")
    int reevaluate;

    @Option(names = "--checkpoints", defaultValue = "4", description = "with --child-seconds: budgets (evenly spaced) "
            + "at which each search's best so far is re-evaluated (default: ${DEFAULT-VALUE})")
    int checkpoints;

    @Option(names = "--final-top", defaultValue = "0", description = "with --child-seconds: each strategy's best N "
            + "architectures (by re-evaluated quality) trained once at the final-like budget --final (default: ${DEFAULT-VALUE})")
    int finalTop;

    @Option(names = "--final", defaultValue = "", description = "the final-like budget of --final-top, as train.*/data.* "
            + "overrides, as nasnet fidelity takes it (default: the configuration's train.*)")
    String finalBudget;

    @Option(names = "--time-budget", description = "stop the study's searches after this long (e.g. 3h); run it again "
            + "to continue. Says first how far it will get")
    String timeBudget;

    @Mixin
    StudyOutput output;

    @Option(names = "--report-only", description = "train nothing: compare what the table holds")
    boolean reportOnly;

    @Spec
    CommandSpec spec;

    /** A duration as the configuration writes them: 3h, 90m, 45s. */
    static java.time.Duration duration(String text) {
        try {
            return com.typesafe.config.ConfigFactory.parseString("d = " + text).getDuration("d");
        } catch (com.typesafe.config.ConfigException e) {
            throw new io.nasnet.config.ConfigException("--time-budget '" + text + "' is not a duration such as 3h or 90m");
        }
    }

    /** {@code S} as 1..S, {@code A-B} as A..B, {@code A,B,C} as they are. */
    static List<Long> seedList(String text) {
        String t = text.trim();
        try {
            if (t.contains(",")) {
                return java.util.Arrays.stream(t.split(",")).map(String::trim).map(Long::parseLong).toList();
            }
            if (t.contains("-")) {
                String[] ab = t.split("-");
                return LongStream.rangeClosed(Long.parseLong(ab[0].trim()), Long.parseLong(ab[1].trim())).boxed().toList();
            }
            return LongStream.rangeClosed(1, Long.parseLong(t)).boxed().toList();
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new io.nasnet.config.ConfigException("--seeds '" + text + "': expected S, A-B or A,B,C");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        var base = options.load(List.of());
        SparkSession spark = Spark.session(base);
        StrategyStudy studyRunner = new StrategyStudy(spark, options::load, TrainerFactory.dl4j());
        if ((children == null) == (childSeconds == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give the study's budget as one of --children or --child-seconds");
        }
        StrategyStudy.Plan plan = new StrategyStudy.Plan(study, strategies.stream().map(String::trim).toList(),
                seedList(seeds), children == null ? 0 : children, childSeconds == null ? 0 : childSeconds,
                new io.nasnet.child.Rungs(rungs, eta));
        if (!reportOnly) {
            studyRunner.run(plan, timeBudget == null ? java.time.Duration.ZERO : duration(timeBudget));
        }
        if (childSeconds != null) {
            io.nasnet.study.Anytime.Result r = studyRunner.anytime(plan, reevaluate, checkpoints);
            String finals = finalTop <= 0 ? "" : StrategyStudy.finalsMarkdown(studyRunner.finalLike(plan, r, finalTop,
                    io.nasnet.study.ProxyFidelity.overrides(finalBudget)), finalBudget.isBlank() ? "train.*" : finalBudget);
            output.write(w, spark, base, study, dir -> StrategyStudy.write(r, finals, dir), "chart, CSV and tables");
            return 0;
        }
        StrategyComparison c = studyRunner.compare(plan);
        if (c.searches().isEmpty()) {
            throw new IllegalStateException("no search of study '" + study + "' in the history table at " + base.historyPath());
        }
        output.write(w, spark, base, study, dir -> StrategyStudy.write(c, dir), "chart, CSVs and tables");
        return 0;
    }
}
