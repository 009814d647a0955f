package io.nasnet.engine;

import io.nasnet.history.HistoryRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A search's rounds and strategy states kept in memory: for searches that need no table (a benchmark
 * running thousands of them, a test). Not shared between processes, gone with the JVM.
 */
public final class InMemory {

    private InMemory() {
    }

    /** Rows in a list; a round appended again replaces the first. */
    public static final class History implements RoundHistory {

        private final List<HistoryRecord> rows = new ArrayList<>();

        @Override
        public synchronized List<HistoryRecord> records(String searchId) {
            return rows.stream().filter(h -> h.searchId().equals(searchId))
                    .sorted(Comparator.comparingInt(HistoryRecord::round).thenComparingInt(HistoryRecord::childIndex))
                    .toList();
        }

        @Override
        public synchronized List<HistoryRecord> round(String searchId, int round) {
            return records(searchId).stream().filter(h -> h.round() == round).toList();
        }

        @Override
        public synchronized void append(List<HistoryRecord> round) {
            round.forEach(h -> rows.removeIf(r -> r.searchId().equals(h.searchId()) && r.round() == h.round()));
            rows.addAll(round);
        }

        @Override
        public String where() {
            return "memory";
        }
    }

    /** Strategy states in a map; rungs need no folder since nothing leaves the process. */
    public static final class States implements StrategyStates {

        private final Map<String, Saved> saved = new HashMap<>();

        @Override
        public synchronized Optional<Saved> load(String searchId) {
            return Optional.ofNullable(saved.get(searchId));
        }

        @Override
        public synchronized void save(String searchId, Saved s) {
            saved.put(searchId, s);
        }

        @Override
        public String rungDir(String searchId, int round) {
            return "memory:" + searchId + "/round-" + round;
        }

        @Override
        public String where(String searchId) {
            return "memory:" + searchId;
        }
    }
}
