package io.nasnet.cli;

import io.nasnet.search.TrainerFactory;
import io.nasnet.study.ProxyFidelity;
import io.nasnet.study.ProxyGrid;
import io.nasnet.study.ProxyGridFiles;
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

/** {@code proxy-study}: which proxy's reward is mostly the architecture, per child-second. */
@Command(name = "proxy-study", mixinStandardHelpOptions = true,
        description = "Train the same architectures with the same seeds at tiers that change one factor of the "
                + "configuration's proxy, and at a final-like budget; each reward definition's architecture share, "
                + "Kendall tau and child-seconds per tier, and the zero-cost scores' tau.")
final class ProxyStudyCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--study", defaultValue = "proxy", description = "names the study's rows (default: ${DEFAULT-VALUE})")
    String study;

    @Option(names = "--from-search", required = true, description = "search whose best and worst architectures are in the study")
    String fromSearch;

    @Option(names = "--random", defaultValue = "9", description = "random architectures, besides NASNet-A and the "
            + "search's best and worst (default: ${DEFAULT-VALUE})")
    int random;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds 1..S of every architecture at every tier (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--tier", description = "a tier, as child.*/data.train-limit/data.validation overrides of the "
            + "configuration: \"data.train-limit=10000\" (repeatable; the configuration itself always is the first)")
    List<String> tiers = new ArrayList<>();

    @Option(names = "--final", required = true, description = "the final-like budget, as train.*/data.* overrides: "
            + "\"train.n=1,train.f=8,train.epochs=2,data.train-limit=10000\"; it must cost more than any tier")
    String finalBudget;

    @Option(names = "--final-seeds", defaultValue = "2", description = "final-like trainings of each architecture (default: ${DEFAULT-VALUE})")
    int finalSeeds;

    @Option(names = "--time-budget", description = "stop after the round or final-like training that ends past this "
            + "long (e.g. 3h); "
            + "run it again to continue")
    String timeBudget;

    @Mixin
    StudyOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        var base = options.load(List.of());
        SparkSession spark = Spark.session(base);
        ProxyGrid grid = new ProxyGrid(spark, options::load, TrainerFactory.dl4j(), study);
        List<ProxyGrid.Tier> ts = new ArrayList<>(List.of(new ProxyGrid.Tier(List.of())));
        tiers.forEach(t -> ts.add(ProxyGrid.Tier.parse(t)));
        List<ProxyFidelity.Arch> archs = new ProxyFidelity(spark, options::load, TrainerFactory.dl4j(), study)
                .pick(fromSearch, 2, random, base.seed());
        long budget = timeBudget == null ? 0 : CompareCommand.duration(timeBudget).toNanos();
        ProxyGrid.Result r = grid.run(archs, ts, seeds, ProxyFidelity.overrides(finalBudget), finalSeeds, budget,
                System::nanoTime);
        output.write(w, spark, base, study, dir -> ProxyGridFiles.write(r, dir), "tables, CSV and charts");
        if (!r.complete()) {
            w.println("proxy study " + study + ": stopped by its time budget; run the same command again to continue");
        }
        return 0;
    }
}
