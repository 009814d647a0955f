package io.nasnet.study;

import io.nasnet.search.SearchConfig;
import io.nasnet.space.Genotype;
import io.nasnet.train.FinalResult;
import io.nasnet.train.FinalSettings;
import io.nasnet.train.FinalTable;
import io.nasnet.train.FinalTraining;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * An architecture trained once at a final-like budget ({@code train.*} and {@code data.*} of the
 * configuration given) with {@code nasnet train}'s trainer, its result in {@code nas_final}; a
 * training the table already holds (same study, architecture and budget) is read back, one that was
 * interrupted resumes from its checkpoint.
 */
final class FinalLike {

    private static final Logger LOG = LoggerFactory.getLogger(FinalLike.class);

    /** Test accuracy and training seconds. */
    record Result(double accuracy, double seconds) {
    }

    private FinalLike() {
    }

    static Result train(SparkSession spark, SearchConfig c, String study, Genotype genotype, String label)
            throws IOException {
        FinalSettings s = c.train();
        FinalTraining training = new FinalTraining(spark, s, c.data(), c.trainCheckpointPath(), c.finalPath(), false);
        String run = training.runId(genotype,
                study + "-final-" + genotype.id() + "-" + DigestUtils.sha256Hex(s + "|" + c.data()).substring(0, 8));
        String model = training.defaultModelPath(run);
        FinalTable table = new FinalTable(spark, c.finalPath());
        Optional<Row> done = table.all().where(functions.col("model_path").equalTo(model))
                .select("test_accuracy", "seconds").collectAsList().stream().findFirst();
        if (done.isPresent()) {
            return new Result(done.get().getDouble(0), done.get().getDouble(1));
        }
        LOG.info("study {}: final-like training of {} ({})", study, genotype.id(), label);
        FinalResult r = training.train(genotype, run, model, "study " + study + ": " + label, null);
        return new Result(r.testAccuracy(), r.trainSeconds());
    }
}
