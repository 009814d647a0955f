package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import io.nasnet.data.Datasets;
import io.nasnet.train.FinalTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code evaluate}: a saved model's accuracy on a dataset's test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model saved by train on a dataset's test set.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--model", required = true, description = "a DL4J model file (any Hadoop FileSystem path)")
    String model;

    @Option(names = "--data", description = "dataset folder (nasnet.data.path)")
    String data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> sets = new ArrayList<>();
        ConfigOptions.set(sets, "data.path", data);
        SearchConfig config = options.load(sets);
        double acc = FinalTrainer.evaluate(model, Datasets.load(config.data()), new org.apache.hadoop.conf.Configuration());
        spec.commandLine().getOut().printf(Locale.ROOT, "test accuracy %.4f on %s%n", acc, config.data().path());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
