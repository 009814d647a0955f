package io.nasnet.report;

import io.nasnet.history.HistoryRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one round of a search produced. The mean is over every child of the round, failed ones at
 * reward 0, because that is the reward the controller learned from.
 */
record RoundStats(int round, int children, int ok, int cached, int diverged, int failed, double meanReward,
                  double bestReward, double bestSoFar) {

    /** The rounds of one search, ascending. */
    static List<RoundStats> of(List<HistoryRecord> records) {
        Map<Integer, List<HistoryRecord>> byRound = new TreeMap<>();
        for (HistoryRecord r : records) {
            byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
        }
        List<RoundStats> out = new ArrayList<>();
        double bestSoFar = 0;
        for (Map.Entry<Integer, List<HistoryRecord>> e : byRound.entrySet()) {
            List<HistoryRecord> rs = e.getValue();
            double best = rs.stream().mapToDouble(HistoryRecord::reward).max().orElse(0);
            bestSoFar = Math.max(bestSoFar, best);
            out.add(new RoundStats(e.getKey(), rs.size(), count(rs, "OK"), count(rs, "CACHED"), count(rs, "DIVERGED"),
                    count(rs, "FAILED"), rs.stream().mapToDouble(HistoryRecord::reward).average().orElse(0), best,
                    bestSoFar));
        }
        return out;
    }

    /**
     * Best reward so far at the end of each round, against the number of children evaluated by then:
     * {@code [children][round]} and {@code [best][round]}. Comparable across searches of other populations.
     */
    static double[][] bestSoFarByChildren(List<HistoryRecord> records) {
        List<RoundStats> rounds = of(records);
        double[][] out = new double[2][rounds.size()];
        int children = 0;
        for (int i = 0; i < rounds.size(); i++) {
            children += rounds.get(i).children();
            out[0][i] = children;
            out[1][i] = rounds.get(i).bestSoFar();
        }
        return out;
    }

    private static int count(List<HistoryRecord> rs, String status) {
        return (int) rs.stream().filter(r -> status.equals(r.status())).count();
    }
}
