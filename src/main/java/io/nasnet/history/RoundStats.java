package io.nasnet.history;

import org.apache.spark.sql.Row;

import java.util.List;

/**
 * One round of a search as the {@code nas_rounds} view defines it: children done, failed (or
 * diverged) and cached, the mean reward over every child (failures at 0, the reward the controller
 * learned from), the best, the best so far, the executor utilization (NaN where the rows do
 * not tell it), the rungs of successive halving and how many children reached the last, and the
 * child-seconds the round cost. The report reads it from the view ({@link HistoryTable#roundStats()}), so the page
 * and SQL always agree.
 */
public record RoundStats(int round, long done, long failed, long cached, double meanReward, double bestReward,
                         double bestSoFar, double utilization, int rungs, long wholeProxy, double childSeconds) {

    public long children() {
        return done + failed + cached;
    }

    /** A {@code nas_rounds} row. */
    static RoundStats of(Row r) {
        return new RoundStats(r.<Integer>getAs("round"), r.<Long>getAs("done"), r.<Long>getAs("failed"),
                r.<Long>getAs("cached"), r.<Double>getAs("mean_reward"), r.<Double>getAs("best_reward"),
                r.<Double>getAs("best_so_far"),
                r.isNullAt(r.fieldIndex("utilization")) ? Double.NaN : r.<Double>getAs("utilization"),
                r.<Integer>getAs("rungs"), r.<Long>getAs("whole_proxy"), r.<Double>getAs("child_seconds"));
    }

    /** The mean utilization over the rounds that have one, NaN if none has. */
    public static double meanUtilization(List<RoundStats> rounds) {
        return rounds.stream().mapToDouble(RoundStats::utilization).filter(u -> !Double.isNaN(u)).average()
                .orElse(Double.NaN);
    }

    /**
     * Best reward so far at the end of each round, against the number of children evaluated by then:
     * {@code [children][round]} and {@code [best][round]}. Comparable across searches of other populations.
     */
    public static double[][] bestSoFarByChildren(List<RoundStats> rounds) {
        double[][] out = new double[2][rounds.size()];
        long children = 0;
        for (int i = 0; i < rounds.size(); i++) {
            children += rounds.get(i).children();
            out[0][i] = children;
            out[1][i] = rounds.get(i).bestSoFar();
        }
        return out;
    }
}
