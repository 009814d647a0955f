package io.nasnet.predict;

import io.nasnet.TestSpark;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.data.Datasets;
import io.nasnet.data.DatasetFiles;
import io.nasnet.data.ImageSet;
import io.nasnet.space.Presets;
import io.nasnet.train.ModelCard;
import io.nasnet.train.SavedModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link PredictJob} over a CIFAR-10 binary dataset: DL4J's predictions of each test image, in Spark jobs that say what they are. */
class PredictJobTest {

    @Test
    void aCifarTestSplitIsScoredInDescribedJobsWithDl4jsPredictions(@TempDir Path dir) throws Exception {
        for (int i = 1; i <= 5; i++) {
            DatasetFiles.write(dir.resolve("data_batch_" + i + ".bin"), DatasetFiles.cifar(2, i), false);
        }
        DatasetFiles.write(dir.resolve("test_batch.bin"), DatasetFiles.cifar(37, 0), false);
        Stacking s = Stacking.cifar(1, 2, 32, 32, 3, 10);
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, NetworkOptions.search(0.05, 5e-4, 3));
        float[] mean = {0.4f, 0.5f, 0.6f};
        float[] std = {0.2f, 0.25f, 0.3f};
        ModelCard card = new ModelCard(Presets.NASNET_A.id(), Presets.NASNET_A.text(), s, mean, std,
                List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"), "t");

        SparkSession spark = TestSpark.local();
        List<String> descriptions = new CopyOnWriteArrayList<>();
        SparkListener jobs = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                descriptions.add(String.valueOf(start.properties().getProperty("spark.job.description")));
            }
        };
        spark.sparkContext().addSparkListener(jobs);
        List<Row> rows = new PredictJob(spark, new SavedModel(net, card))
                .predict(dir.toString(), PredictJob.detect(dir.toString()), 8, 3).orderBy("index").collectAsList();
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().removeSparkListener(jobs);
        assertThat(descriptions).isNotEmpty().containsOnly("nasnet predict: " + Presets.NASNET_A.id() + " on " + dir);

        ImageSet test = Datasets.testSet(dir.toString());
        float[] x = new float[test.size() * test.imageBytes()];
        ModelInput in = ModelInput.of(card);
        for (int i = 0; i < test.size(); i++) {
            in.normalize(test.pixels(), i * test.imageBytes(), x, i * test.imageBytes());
        }
        INDArray expected = net.output(false, Nd4j.create(x, new long[]{test.size(), 3, 32, 32}, 'c'))[0];
        assertThat(rows).hasSize(37);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int best = expected.getRow(i).argMax().getInt(0);
            assertThat(r.getLong(r.fieldIndex("index"))).isEqualTo(i);
            assertThat(r.getInt(r.fieldIndex("label"))).isEqualTo(test.labels()[i]);
            assertThat(r.getInt(r.fieldIndex("predicted"))).isEqualTo(best);
            assertThat(r.getString(r.fieldIndex("predicted_label"))).isEqualTo(card.labels().get(best));
            assertThat(r.getDouble(r.fieldIndex("probability"))).isCloseTo(expected.getDouble(i, best), within(1e-6));
            assertThat(r.getList(r.fieldIndex("top_k"))).hasSize(3);
            assertThat(r.isNullAt(r.fieldIndex("error"))).isTrue();
        }
        net.clear();
    }
}
