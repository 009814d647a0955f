package io.nasnet.search;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Trains a population: one history row out per task in, every one with a status, whatever
 * happened to the child. The rows come back computed but held by Spark, never collected to the
 * driver: the round loop writes them to the history table and reads the round back from there.
 * {@link SparkEvaluator} trains on a Spark cluster's executors; {@link SearchJob} takes any.
 */
public interface Evaluator {

    Dataset<Row> evaluate(List<ChildTask> tasks);

    /** How many children it trains at once now: the denominator of a round's utilization. */
    int slots();
}
