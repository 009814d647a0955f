package io.nasnet.search;

import io.nasnet.history.Problem;
import io.nasnet.history.HistoryTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;


/**
 * A search's table and checkpoint checked against each other: every round's population once, as the
 * table's format checks its own layout ({@link HistoryTable#check}: for Parquet, every round in a
 * readable file, nothing else in the search's folder, no leftovers of a killed write), and a
 * checkpoint on the last complete round. What {@code nasnet check} prints and
 * what a run checks before it continues a search, so that damage is named with what to do about it
 * instead of surfacing as a stack trace mid-night. Reads file listings, Parquet footers and one small
 * query of the search's (round, child) columns.
 */
public final class SearchCheck {

    /** The outcome: what the table and checkpoint hold, the lease, and the problems. */
    public record Diagnosis(String searchId, String table, String checkpoint, TreeMap<Integer, Long> rounds,
                            Optional<Integer> checkpointRound, String lease, boolean leaseLive, List<Problem> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }

        public List<Problem> blocking() {
            return problems.stream().filter(Problem::blocksResume).toList();
        }

        /** The report {@code nasnet check} prints. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append("search ").append(searchId).append('\n');
            b.append("  table:      ").append(table).append('\n');
            b.append("  rounds:     ").append(rounds.isEmpty() ? "none" : rounds.firstKey() + " to " + rounds.lastKey()
                    + " (" + rounds.size() + " rounds, children " + rounds.values().stream()
                    .map(n -> n == HistoryTable.UNKNOWN_ROWS ? "?" : String.valueOf(n)).toList() + ")").append('\n');
            b.append("  checkpoint: ").append(checkpoint).append(checkpointRound.map(r -> ", round " + r)
                    .orElse(" (none)")).append('\n');
            b.append("  lease:      ").append(lease).append('\n');
            if (problems.isEmpty()) {
                b.append("OK: the table and the checkpoint agree; a run continues after round ")
                        .append(checkpointRound.map(String::valueOf).orElse("-1 (a new search)")).append('\n');
            } else {
                b.append(problems.size()).append(problems.size() == 1 ? " problem:\n" : " problems:\n");
                problems.forEach(p -> b.append("  - ").append(p).append('\n'));
            }
            return b.toString();
        }
    }

    private SearchCheck() {
    }

    /** Checks one search of a configuration's table and checkpoint folder, as {@code nasnet check} does. */
    public static Diagnosis run(SparkSession spark, SearchConfig config) throws IOException {
        return run(spark, config, false, Clock.systemUTC());
    }

    /**
     * {@code leaseHolder}: the caller is the run that holds the search's lease, so whatever a write
     * left behind is from an earlier, killed run and not a write in progress. {@code clock} tells
     * whether the lease is still renewed.
     */
    static Diagnosis run(SparkSession spark, SearchConfig config, boolean leaseHolder, Clock clock) throws IOException {
        String id = config.searchId();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<Problem> problems = new ArrayList<>();
        Path tableRoot = new Path(config.historyPath());
        FileSystem fs = tableRoot.getFileSystem(hadoop);
        Path searchDir = fs.makeQualified(new Path(tableRoot, "search_id=" + id));

        Lease.State lease = Lease.inspect(config.checkpointPath(), id, config.leaseTtl(), hadoop, clock);
        TreeMap<Integer, Long> rounds = new HistoryTable(spark, config.historyPath())
                .check(id, lease.live() && !leaseHolder, problems);
        List<Integer> present = presentRounds(rounds, searchDir, problems);
        Checkpoints checkpoints = new Checkpoints(config.checkpointPath(), hadoop);
        Optional<Integer> ckptRound = checkpointProblems(config, checkpoints, present, problems);
        return new Diagnosis(id, tableRoot.toString(), checkpoints.file(id).toString(), rounds, ckptRound,
                lease.describe(), lease.live(), List.copyOf(problems));
    }

    /** The rounds that hold rows, in order; a problem for an empty round and for a gap before the last. */
    private static List<Integer> presentRounds(TreeMap<Integer, Long> rounds, Path searchDir, List<Problem> problems) {
        rounds.forEach((round, n) -> {
            if (n == 0) {
                problems.add(new Problem("round " + round + " has no rows (its file in " + searchDir
                        + " holds no row)", "restore the round's file, or delete it if it is the last round (the next "
                        + "run trains it again)", true));
            }
        });
        List<Integer> present = rounds.entrySet().stream().filter(e -> e.getValue() != 0).map(e -> e.getKey()).toList();
        for (int r = 0; !present.isEmpty() && r < present.get(present.size() - 1); r++) {
            if (!present.contains(r)) {
                problems.add(new Problem("round " + r + " is missing from the table (rounds " + present + ")",
                        "restore the round's file from a backup, or start a new search id", true));
            }
        }
        return present;
    }

    /** The round the checkpoint records, and problems where it does not read or does not match the table. */
    private static Optional<Integer> checkpointProblems(SearchConfig config, Checkpoints checkpoints,
                                                        List<Integer> present, List<Problem> problems) {
        String id = config.searchId();
        Optional<Integer> ckptRound = Optional.empty();
        try {
            Optional<Checkpoints.Saved> saved = checkpoints.load(id);
            ckptRound = saved.map(Checkpoints.Saved::round);
            if (saved.isPresent() && !saved.get().strategy().equals(config.strategy())) {
                problems.add(new Problem("the checkpoint is of strategy " + saved.get().strategy() + " but the "
                        + "configuration says " + config.strategy(), "set search.strategy = " + saved.get().strategy()
                        + ", or use another search id to compare strategies", true));
            }
        } catch (IOException e) {
            problems.add(new Problem("unreadable checkpoint " + checkpoints.file(id) + ": " + e.getMessage(),
                    "restore it from a backup, or start a new search id", true));
        }
        int last = present.isEmpty() ? -1 : present.get(present.size() - 1);
        if (ckptRound.isPresent()) {
            int c = ckptRound.get();
            if (c > last) {
                problems.add(new Problem("the checkpoint records round " + c + " as complete but the table's last round "
                        + "is " + last + " (rounds " + (last + 1) + " to " + c + " are missing from the table)",
                        "restore the missing rounds' files; a checkpoint ahead of the table cannot be continued, "
                                + "start a new search id otherwise", true));
            } else if (last > c + 1) {
                problems.add(new Problem("the table holds rounds up to " + last + " but the checkpoint only round " + c,
                        "restore the checkpoint written after round " + last + " or " + (last - 1)
                                + ", or delete the table's rounds after " + (c + 1), true));
            }
        } else if (last > 0) {
            problems.add(new Problem("the table holds rounds " + present + " but there is no checkpoint at "
                    + checkpoints.file(id), "restore the checkpoint, or start a new search id", true));
        }
        return ckptRound;
    }

}
