package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import io.nasnet.data.ImageDataset;
import io.nasnet.history.Architectures;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.search.TableHistory;
import io.nasnet.space.Genotype;
import io.nasnet.train.FinalResult;
import io.nasnet.train.FinalSettings;
import io.nasnet.train.FinalTable;
import io.nasnet.train.FinalTraining;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train}: a found architecture scaled up and trained to the end, resumable, recorded in nas_final. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an architecture to the end (checkpoint per epoch, resume), report its test accuracy.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--genotype", required = true,
            description = "an architecture id from the history table, a preset (NASNet-A), or a genotype's text")
    String genotype;

    @Mixin
    StackingOptions stacking;

    @Option(names = "--epochs", description = "nasnet.train.epochs")
    Integer epochs;

    @Option(names = "--batch-size", description = "nasnet.train.batch-size")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "nasnet.train.learning-rate")
    Double learningRate;

    @Option(names = "--label-smoothing", description = "nasnet.train.label-smoothing")
    Double labelSmoothing;

    @Option(names = "--data", description = "dataset folder (nasnet.data.path), e.g. /usr/share/datasets/fashion-mnist")
    String data;

    @Option(names = "--distributed", description = "train data-parallel on the Spark cluster (parameter averaging)")
    boolean distributed;

    @Option(names = "--workers", description = "data-parallel replicas with --distributed (nasnet.train.workers)")
    Integer workers;

    @Option(names = "--run-id", description = "names the checkpoint folder; a run with an existing id resumes "
            + "(default: arch id, stacking, N and F)")
    String runId;

    @Option(names = "--model", description = "where the final DL4J model goes (default: model.zip in the run's folder)")
    String model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> sets = new ArrayList<>();
        stacking.addTo(sets);
        ConfigOptions.set(sets, "train.epochs", epochs);
        ConfigOptions.set(sets, "train.batch-size", batchSize);
        ConfigOptions.set(sets, "train.learning-rate", learningRate);
        ConfigOptions.set(sets, "train.label-smoothing", labelSmoothing);
        ConfigOptions.set(sets, "train.workers", workers);
        ConfigOptions.set(sets, "data.path", data);
        SearchConfig config = options.load(sets);
        FinalSettings settings = config.train();
        SparkSession spark = distributed ? Spark.trainingSession("nasnet-train", config)
                : Spark.session("nasnet-train", config);
        HistoryCatalog catalog = TableHistory.openCatalog(spark, config);
        Genotype g = Architectures.resolve(genotype, () -> spark, config.historyPath());
        FinalTraining training = new FinalTraining(spark, settings, config.data(), config.trainCheckpointPath(),
                config.finalPath(), distributed);
        String run = training.runId(g, runId);
        ImageDataset dataset = training.dataset();
        out.printf(Locale.ROOT, "training %s (%s, %s %d @ %d) on %s: %d training, %d validation, %d test images%n",
                g.id(), distributed ? settings.workers() + " data-parallel workers" : "one machine",
                settings.stackingName(), settings.n(), 24 * settings.f(), config.data().path(),
                dataset.train().size(), dataset.validation().size(), dataset.test().size());
        out.flush();
        FinalResult r = training.train(g, run, model != null ? model : training.defaultModelPath(run),
                Architectures.origin(genotype, g, spark, config.historyPath()), catalog);
        if (r.resumedAt() > 0) {
            out.println("resumed after epoch " + r.resumedAt());
        }
        out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs (%s, %,d params, %,d mult-adds, %.0f s)%n",
                r.testAccuracy(), r.epochs().size(), r.label(), r.params(), r.multAdds(), r.trainSeconds());
        out.println("model: " + r.modelPath());
        out.println("recorded in " + (catalog != null ? catalog.database() + "." : "") + FinalTable.VIEW + " at "
                + config.finalPath());
        out.flush();
        return 0;
    }
}
