package io.nasnet.search;

import io.nasnet.history.HistoryRecord;

import java.util.List;

/**
 * Trains a population: one history row out per task in, every one with a status, whatever
 * happened to the child. Plain records in and out, so that a strategy or a test can train children
 * without Spark types; {@link SparkEvaluator} trains them as Spark tasks on a cluster's executors,
 * and {@link SearchJob} takes any.
 */
public interface Evaluator {

    List<HistoryRecord> evaluate(List<ChildTask> tasks);

    /** How many children it trains at once now: the denominator of a round's utilization. */
    int slots();
}
