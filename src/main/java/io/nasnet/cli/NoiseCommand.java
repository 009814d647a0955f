package io.nasnet.cli;

import io.nasnet.search.TrainerFactory;
import io.nasnet.study.RewardNoise;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code noise}: how much of a child's reward is its architecture and how much its seed. */
@Command(name = "noise", mixinStandardHelpOptions = true,
        description = "Train NASNet-A and random architectures with the same seeds at the search's proxy; "
                + "the reward's variance split into architecture, seed and residual.")
final class NoiseCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--study", defaultValue = "noise", description = "names the rows: STUDY-noise (default: ${DEFAULT-VALUE})")
    String study;

    @Option(names = "--random", defaultValue = "9", description = "random architectures besides NASNet-A (default: ${DEFAULT-VALUE})")
    int random;

    @Option(names = "--seeds", defaultValue = "4", description = "seeds 1..S for every architecture (default: ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    StudyOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        var c = options.load(List.of());
        SparkSession spark = Spark.session(c);
        // children train with the accuracy as reward; every definition is read from the same rows
        RewardNoise.Study r = RewardNoise.run(spark, options.load(List.of("search.reward=accuracy")),
                TrainerFactory.dl4j(), study, random, seeds, c.child().reward());
        output.write(w, spark, c, study, dir -> RewardNoise.write(r, dir), "CSV and tables");
        w.println(RewardNoise.verdict(r.reward(), r.result()));
        return 0;
    }
}
