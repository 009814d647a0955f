package io.nasnet.search;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Trains a population: one history row out per task in, every one with a status, whatever
 * happened to the child. The rows come back as a lazy Dataset so that the training job and the
 * write to the history table are one Spark job; nothing is collected to the driver.
 */
public interface Evaluator {
    Dataset<Row> evaluate(List<ChildTask> tasks);
}
