package io.nasnet.search;

import io.nasnet.child.ChildSettings;
import io.nasnet.child.Failures;
import io.nasnet.data.DataSpec;
import io.nasnet.engine.ChildTask;
import io.nasnet.engine.Evaluator;
import io.nasnet.history.HistoryRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Spark task per child: a partition each, trained on whichever executor runs it. Only the rows
 * (a few hundred bytes per child) come back to the driver, which writes the round to the table as
 * one file.
 */
public final class SparkEvaluator implements Evaluator {

    private final SparkSession spark;
    private final DataSpec data;
    private final ChildSettings settings;
    private final TrainerFactory factory;
    private final Clock clock;

    public SparkEvaluator(SparkSession spark, DataSpec data, ChildSettings settings, TrainerFactory factory) {
        this(spark, data, settings, factory, Clock.systemUTC());
    }

    /** The same, each row's start and end times read from {@code clock} on the executors. */
    public SparkEvaluator(SparkSession spark, DataSpec data, ChildSettings settings, TrainerFactory factory,
                          Clock clock) {
        this.spark = spark;
        this.data = data;
        this.settings = settings;
        this.factory = factory;
        this.clock = clock;
    }

    @Override
    public List<HistoryRecord> evaluate(List<ChildTask> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        DataSpec d = data;
        ChildSettings s = settings;
        TrainerFactory f = factory;
        Clock c = clock;
        try {
            return JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(tasks.stream().map(ChildTask::toBytes).toList(), tasks.size())
                    .map(bytes -> ExecutorSide.run(ChildTask.fromBytes(bytes), d, s, f, c).toRow())
                    .collect().stream().map(HistoryRecord::fromRow).toList();
        } catch (Exception e) { // Spark's SparkException is a checked exception Scala code throws undeclared
            // Spark reports an executor's exception as text in its own: the child and cause are in that text
            Matcher m = ENVIRONMENT.matcher(String.valueOf(e.getMessage()));
            if (m.find()) {
                throw new Failures.EnvironmentException(m.group(1), e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private static final Pattern ENVIRONMENT = Pattern.compile("EnvironmentException: (child [^\\n]*)");

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
