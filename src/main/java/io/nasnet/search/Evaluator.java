package io.nasnet.search;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Trains a population: one history row out per task in, every one with a status, whatever
 * happened to the child. The rows come back computed but held by Spark, never collected to the
 * driver: the round loop writes them to the history table and reads the round back from there.
 */
public interface Evaluator {
    Dataset<Row> evaluate(List<ChildTask> tasks);
}
