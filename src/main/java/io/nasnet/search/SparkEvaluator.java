package io.nasnet.search;

import io.nasnet.child.TrainSettings;
import io.nasnet.data.DataSpec;
import io.nasnet.history.HistoryRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.List;

/**
 * One Spark task per child: a partition each, trained on whichever executor runs it. The rows stay
 * in executor memory (never collected) until the next round, so writing them to the table is a
 * single-file write without a shuffle of the round's many small partitions.
 */
public final class SparkEvaluator implements Evaluator {

    private final SparkSession spark;
    private final DataSpec data;
    private final TrainSettings settings;
    private final TrainerFactory factory;
    private JavaRDD<Row> previous;

    public SparkEvaluator(SparkSession spark, DataSpec data, TrainSettings settings, TrainerFactory factory) {
        this.spark = spark;
        this.data = data;
        this.settings = settings;
        this.factory = factory;
    }

    @Override
    public Dataset<Row> evaluate(List<ChildTask> tasks) {
        if (previous != null) {
            previous.unpersist(false);
            previous = null;
        }
        if (tasks.isEmpty()) {
            return spark.createDataFrame(List.of(), HistoryRecord.SCHEMA);
        }
        DataSpec d = data;
        TrainSettings s = settings;
        TrainerFactory f = factory;
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(tasks.stream().map(ChildTask::toBytes).toList(), tasks.size())
                .map(bytes -> ExecutorSide.run(ChildTask.fromBytes(bytes), d, s, f).toRow());
        rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
        rows.count();
        previous = rows;
        return spark.createDataFrame(rows, HistoryRecord.SCHEMA);
    }

    /**
     * The task slots the cluster has now: its executors' cores (Spark's default parallelism, as the
     * executors registered by the end of the round's job) over the cores a task takes.
     */
    @Override
    public int slots() {
        int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
        return Math.max(1, spark.sparkContext().defaultParallelism() / taskCpus);
    }
}
