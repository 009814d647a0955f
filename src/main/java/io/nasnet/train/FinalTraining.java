package io.nasnet.train;

import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.space.Genotype;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/**
 * A found cell trained to the end, as {@code nasnet train} and the studies' final-like trainings do
 * it: a named run whose checkpoints let it resume, on one machine or data-parallel on the cluster, its
 * model file with its card, and its row in {@code nas_final} (and the catalog's table, when one is open).
 */
public final class FinalTraining {

    private final SparkSession spark;
    private final FinalSettings settings;
    private final DataSpec data;
    private final String checkpointPath;
    private final String finalPath;
    private final boolean distributed;

    /**
     * Trainings with {@code settings} on {@code data}, their runs' folders under {@code checkpointPath}
     * ({@code train.checkpoint-path}), their rows in the table at {@code finalPath} ({@code final.path}).
     */
    public FinalTraining(SparkSession spark, FinalSettings settings, DataSpec data, String checkpointPath,
                         String finalPath, boolean distributed) {
        this.spark = spark;
        this.settings = settings;
        this.data = data;
        this.checkpointPath = checkpointPath;
        this.finalPath = finalPath;
        this.distributed = distributed;
    }

    /** The run's name: {@code given}, else the architecture, stacking, N and F; an unusable name is an error. */
    public String runId(Genotype g, String given) {
        FinalSettings s = settings;
        String run = given != null ? given : g.id() + "-" + s.stackingName() + "-n" + s.n() + "-f" + s.f();
        if (!run.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--run-id '" + run + "' must be letters, digits, '.', '_' or '-'");
        }
        return run;
    }

    /** The run's checkpoint folder. */
    public TrainCheckpoints checkpoints(String run) {
        return new TrainCheckpoints(new Path(checkpointPath, run).toString(),
                spark.sparkContext().hadoopConfiguration());
    }

    /** Where a run's model goes unless told: {@code model.zip} in its checkpoint folder. */
    public String defaultModelPath(String run) {
        return new Path(checkpoints(run).dir(), "model.zip").toString();
    }

    /** The dataset the run trains on (the executors' per-JVM copy: in local mode the driver's too). */
    public ImageDataset dataset() {
        return Datasets.cached(data);
    }

    /**
     * Trains {@code g} in run {@code run} (resuming from its last checkpoint), writes the model to
     * {@code modelPath} with {@code origin} on its card, and records the result in {@code nas_final}.
     */
    public FinalResult train(Genotype g, String run, String modelPath, String origin, HistoryCatalog catalog)
            throws IOException {
        FinalTrainer.EpochFitter fitter = distributed
                ? new SparkFitter(JavaSparkContext.fromSparkContext(spark.sparkContext()), settings, data)
                : FinalTrainer.local(settings);
        Provenance provenance = Provenance.of(origin, settings, Datasets.check(data));
        FinalResult r = new FinalTrainer(settings, checkpoints(run), spark.sparkContext().hadoopConfiguration())
                .train(g, dataset(), fitter, modelPath, provenance);
        new FinalTable(spark, finalPath).append(r, distributed, data.path());
        if (catalog != null) {
            catalog.finals(finalPath, FinalTable.SCHEMA);
        }
        return r;
    }
}
