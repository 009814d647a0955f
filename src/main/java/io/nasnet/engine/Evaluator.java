package io.nasnet.engine;

import io.nasnet.history.HistoryRecord;

import java.util.List;

/**
 * Trains a population: one history row out per task in, every one with a status, whatever
 * happened to the child. Plain records in and out, so that the round engine runs on any:
 * {@code search.SparkEvaluator} trains children as Spark tasks on a cluster's executors,
 * {@link ObjectiveEvaluator} asks a function of the genotype (a benchmark, a test).
 * An evaluation that cannot be done for a reason not the child's own throws; its message names the
 * child and the cause.
 */
public interface Evaluator {

    List<HistoryRecord> evaluate(List<ChildTask> tasks);

    /** How many children it trains at once now: the denominator of a round's utilization. */
    int slots();
}
