package io.nasnet.train;

import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Data-parallel epochs with dl4j-spark's parameter averaging: {@code workers} replicas each fit
 * {@code averagingFrequency} minibatches, then parameters and updater state are averaged. The
 * executors build their own batches from the dataset (loaded once per executor JVM), so only
 * batch numbers travel. Parameter averaging, not SharedTrainingMaster: the latter hangs on Spark
 * 3.5 in some runs.
 */
public final class SparkFitter implements FinalTrainer.EpochFitter {

    private final JavaSparkContext sc;
    private final FinalSettings settings;
    private final DataSpec data;
    private SparkComputationGraph sparkNet;

    public SparkFitter(JavaSparkContext sc, FinalSettings settings, DataSpec data) {
        this.sc = sc;
        this.settings = settings;
        this.data = data;
    }

    /** On an executor: a partition's batch numbers made into batches, one at a time. */
    private static Iterator<MultiDataSet> batches(Iterator<Integer> numbers, DataSpec spec, FinalSettings s, int epoch,
                                                  int outputs) {
        FinalBatches fb = new FinalBatches(Datasets.cached(spec), s);
        int[] order = fb.order(epoch);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return numbers.hasNext();
            }

            @Override
            public MultiDataSet next() {
                return fb.batch(order, epoch, numbers.next(), outputs);
            }
        };
    }

    @Override
    public Fitted fit(ComputationGraph net, FinalBatches batches, int epoch) {
        if (sparkNet == null || sparkNet.getNetwork() != net) {
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(
                    settings.workers(), settings.batchSize())
                    .batchSizePerWorker(settings.batchSize())
                    .averagingFrequency(settings.averagingFrequency())
                    .workerPrefetchNumBatches(0)
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .repartionData(Repartition.Never)
                    .saveUpdater(true)
                    .rngSeed(settings.seed())
                    .build();
            sparkNet = new SparkComputationGraph(sc, net, master);
            if (settings.gradClip() > 0) {
                sparkNet.setListeners(new GlobalNormClipping(settings.gradClip()));
            }
        }
        List<Integer> numbers = new ArrayList<>();
        for (int b = 0; b < batches.perEpoch(); b++) {
            numbers.add(b);
        }
        DataSpec spec = data;
        FinalSettings s = settings;
        int outputs = net.getNumOutputArrays();
        JavaRDD<MultiDataSet> rdd = sc.parallelize(numbers, settings.workers())
                .mapPartitions(it -> batches(it, spec, s, epoch, outputs));
        ComputationGraph fitted = sparkNet.fitMultiDataSet(rdd);
        double loss = sparkNet.getScore();
        if (!Double.isFinite(loss)) {
            throw new FinalTrainer.DivergedException("loss became " + loss + " at epoch " + epoch
                    + "; the last checkpoint is kept, lower the learning rate and resume");
        }
        return new Fitted(fitted, loss);
    }
}
