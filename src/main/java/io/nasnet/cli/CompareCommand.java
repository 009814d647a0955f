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
import java.nio.file.Path;
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
            description = "strategies to compare (default: ${DEFAULT-VALUE})")
    List<String> strategies;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds 1..S per strategy (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--children", required = true,
            description = "children each search samples, a multiple of nasnet.search.population")
    int children;

    @Option(names = "--out", description = "folder of the chart, CSVs and markdown (any Hadoop FileSystem path; default: work/studies/STUDY, in YARN cluster mode next to the history table)")
    String out;

    @Option(names = "--report-only", description = "train nothing: compare what the table holds")
    boolean reportOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        var base = options.load(List.of());
        SparkSession spark = Spark.session(base.appName(), base.sparkMaster());
        StrategyStudy studyRunner = new StrategyStudy(spark, options::load, TrainerFactory.dl4j());
        StrategyStudy.Plan plan = new StrategyStudy.Plan(study, strategies.stream().map(String::trim).toList(),
                LongStream.rangeClosed(1, seeds).boxed().toList(), children);
        if (!reportOnly) {
            studyRunner.run(plan);
        }
        StrategyComparison c = studyRunner.compare(plan);
        if (c.searches().isEmpty()) {
            throw new IllegalStateException("no search of study '" + study + "' in the history table at " + base.historyPath());
        }
        Outputs outputs = new Outputs(spark);
        String md = outputs.write(outputs.folder(out, base.historyPath(), "studies", study), dir -> StrategyStudy.write(c, dir));
        w.println(c.markdown());
        w.println("chart, CSVs and tables: " + md.substring(0, md.lastIndexOf('/')));
        w.flush();
        return 0;
    }
}
