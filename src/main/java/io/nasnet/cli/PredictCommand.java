package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.predict.PredictJob;
import io.nasnet.search.TableHistory;
import io.nasnet.train.SavedModel;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/** {@code predict}: a saved model scores a dataset or a folder of images as a Spark job. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score a dataset's test split or a folder of images (PNG, JPEG) with a model saved by train, "
                + "as a Spark job; one row per image (Parquet by default).")
final class PredictCommand implements Callable<Integer> {

    /** How the rows are written. */
    enum Format { PARQUET, CSV, JSON }

    @Mixin
    ConfigOptions options;

    @Option(names = "--model", required = true, description = "a model file saved by train (any Hadoop FileSystem path)")
    String model;

    @Option(names = "--input", required = true,
            description = "a dataset folder (IDX or CIFAR-10 binary: its test split) or a folder of images")
    String input;

    @Option(names = "--input-format", defaultValue = "auto", description = "auto (default), dataset or images")
    String inputFormat;

    @Option(names = "--out", required = true, description = "where the predictions go (any Hadoop FileSystem path)")
    String out;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet (default), csv or json")
    Format format;

    @Option(names = "--top-k", defaultValue = "5", description = "classes in each row's top_k (default 5)")
    int topK;

    @Option(names = "--batch-size", defaultValue = "64", description = "images per forward pass (default 64)")
    int batchSize;

    @Option(names = "--overwrite", description = "replace what is at --out (otherwise an existing --out is an error)")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        SearchConfig config = options.load(List.of());
        SparkSession spark = Spark.session("nasnet-predict", config);
        HistoryCatalog catalog = format == Format.PARQUET ? TableHistory.openCatalog(spark, config) : null;
        Path target = new Path(out);
        if (!overwrite && target.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(target)) {
            throw new IllegalArgumentException("--out " + out + " already exists; pass --overwrite to replace it");
        }
        SavedModel saved = SavedModel.read(new Path(model), spark.sparkContext().hadoopConfiguration());
        PredictJob.Source source = inputFormat.equalsIgnoreCase("auto") ? PredictJob.detect(input)
                : PredictJob.Source.parse(inputFormat);
        Dataset<Row> rows = new PredictJob(spark, saved).predict(input, source, batchSize, topK)
                .persist(StorageLevel.MEMORY_AND_DISK());
        saved.net().clear();
        try {
            Dataset<Row> written = format == Format.CSV ? flat(rows) : rows;
            written.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .format(format.name().toLowerCase(Locale.ROOT)).option("header", true).save(out);
            summary(rows, saved, w);
            if (catalog != null) {
                catalog.predictions(out, written.schema());
                w.println("registered as " + catalog.database() + ".nas_predictions");
            }
        } finally {
            rows.unpersist();
        }
        w.printf(Locale.ROOT, "%s written to %s; query it with: nasnet sql \"SELECT * FROM %s.`%s`\"%n",
                format.name().toLowerCase(Locale.ROOT), out, format.name().toLowerCase(Locale.ROOT), out);
        w.flush();
        return 0;
    }

    /** The counts, the accuracy where the input has labels, and the first unreadable images with why. */
    private static void summary(Dataset<Row> rows, SavedModel saved, PrintWriter w) {
        Row s = rows.selectExpr("count(*)", "count(error)", "count(label)",
                "avg(CASE WHEN label IS NOT NULL THEN CAST(label = predicted AS INT) END)").first();
        long n = s.getLong(0);
        long failed = s.getLong(1);
        w.printf(Locale.ROOT, "predicted %d of %d images with %s (%s)%s%n", n - failed, n, saved.card().archId(),
                saved.card().stacking().label(), failed > 0 ? "; " + failed + " could not be read" : "");
        if (s.getLong(2) > 0) {
            w.printf(Locale.ROOT, "accuracy %.4f on %d labelled images%n", s.getDouble(3), s.getLong(2));
        }
        for (Row e : rows.where(col("error").isNotNull()).select("input", "error").orderBy("input").limit(20)
                .collectAsList()) {
            w.printf("  %s: %s%n", e.getString(0), e.getString(1));
        }
    }

    /** CSV has no arrays: top_k as "label:probability" pairs joined by ';'. */
    private static Dataset<Row> flat(Dataset<Row> rows) {
        return rows.withColumn("top_k", org.apache.spark.sql.functions.expr(
                "concat_ws(';', transform(top_k, t -> concat(t.label, ':', format_number(t.probability, 6))))"));
    }
}
