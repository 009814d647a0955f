package io.nasnet.search;

import io.nasnet.history.HistoryFile;
import io.nasnet.history.HistoryTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

/**
 * A search's table and checkpoint checked against each other: every round in a readable Parquet
 * file holding its whole population once, nothing else in the search's folder, no leftovers of
 * a killed write, and a checkpoint on the last complete round. What {@code nasnet check} prints and
 * what a run checks before it continues a search, so that damage is named with what to do about it
 * instead of surfacing as a stack trace mid-night. Reads file listings, Parquet footers and one small
 * query of the search's (round, child) columns.
 */
public final class SearchCheck {

    /** The rows of a round with an unreadable file. */
    private static final long UNKNOWN = -1;

    private static final Pattern ROUND_DIR = Pattern.compile("round=(\\d+)");

    /**
     * Something wrong. {@code blocksResume}: a run must not continue the search until it is fixed;
     * the others (leftovers Spark ignores) are reported by {@code nasnet check} and logged by a run.
     */
    public record Problem(String what, String todo, boolean blocksResume) {
        @Override
        public String toString() {
            return what + "\n    what to do: " + todo;
        }
    }

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
                    .map(n -> n == UNKNOWN ? "?" : String.valueOf(n)).toList() + ")").append('\n');
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
        HistoryTable table = new HistoryTable(spark, config.historyPath());
        TreeMap<Integer, Long> rounds;
        if (table.format() == HistoryTable.Format.DELTA) {
            rounds = deltaPopulations(table, id, problems);
        } else {
            leftovers(fs, tableRoot, id, lease.live() && !leaseHolder, problems);
            TreeMap<Integer, Long> footerRows = new TreeMap<>();
            boolean readable = roundFiles(fs, searchDir, hadoop, footerRows, problems);
            rounds = readable && fs.exists(searchDir)
                    ? populations(spark, config, searchDir, footerRows, problems) : new TreeMap<>(footerRows);
        }
        List<Integer> present = presentRounds(rounds, searchDir, problems);
        Checkpoints checkpoints = new Checkpoints(config.checkpointPath(), hadoop);
        Optional<Integer> ckptRound = checkpointProblems(config, checkpoints, present, problems);
        return new Diagnosis(id, tableRoot.toString(), checkpoints.file(id).toString(), rounds, ckptRound,
                lease.describe(), lease.live(), List.copyOf(problems));
    }

    /**
     * The rows each round's file counts in its Parquet footer ({@code UNKNOWN} where a file does not
     * read; a compacted file's rounds are counted by {@link #populations}), and problems for anything
     * else in the search's folder; false when Spark cannot read the search.
     */
    private static boolean roundFiles(FileSystem fs, Path searchDir, Configuration hadoop,
                                      TreeMap<Integer, Long> footerRows, List<Problem> problems) throws IOException {
        if (!fs.exists(searchDir)) {
            return true;
        }
        boolean readable = true;
        boolean legacy = false;
        List<HistoryFile> files = new ArrayList<>();
        for (FileStatus entry : fs.listStatus(searchDir)) {
            Path p = entry.getPath();
            if (hidden(p)) {
                continue;
            }
            Optional<HistoryFile> file = entry.isFile() ? HistoryFile.parse(p.getName()) : Optional.empty();
            if (entry.isDirectory() && ROUND_DIR.matcher(p.getName()).matches()) {
                if (!legacy) {
                    problems.add(new Problem("the table keeps this search's rounds in folders (" + p + ": the layout "
                            + "of release 0.1)", "convert the table once with `nasnet compact` while no search runs",
                            true));
                }
                legacy = true;
            } else if (file.isEmpty()) {
                problems.add(new Problem("stray " + (entry.isDirectory() ? "folder " : "file ") + p
                        + " in the search's folder: Spark reads every file of the table as Parquet",
                        "move it out of the table", true));
                readable = false;
            } else {
                files.add(file.get());
            }
        }
        int lastRound = files.stream().mapToInt(HistoryFile::last).max().orElse(-1);
        var shadowed = HistoryFile.shadowed(files);
        for (HistoryFile f : files) {
            Path p = new Path(searchDir, f.name());
            long rows;
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(p, hadoop))) {
                rows = reader.getRecordCount();
            } catch (IOException | RuntimeException e) {
                problems.add(new Problem("unreadable Parquet file " + p + " in round" + (f.compacted() ? "s " + f.first()
                        + " to " + f.last() : " " + f.first()) + " (" + e.getMessage() + ")",
                        !f.compacted() && f.first() == lastRound
                                ? "delete the round's file " + p + "; the next run trains the round again"
                                : "restore the file from a backup, or start a new search id (rounds after it depend "
                                + "on it)", true));
                readable = false;
                rows = UNKNOWN;
            }
            if (!f.compacted() && !shadowed.containsKey(f)) {
                footerRows.put(f.first(), rows);
            } else if (rows == UNKNOWN) {
                for (int r = f.first(); r <= f.last(); r++) {
                    footerRows.put(r, UNKNOWN);
                }
            }
        }
        return readable;
    }

    /** Each round's rows, read by Spark, and a problem for a round whose population is not 0..n-1 once each. */
    private static TreeMap<Integer, Long> populations(SparkSession spark, SearchConfig config, Path searchDir,
                                                      TreeMap<Integer, Long> footerRows, List<Problem> problems) {
        HistoryTable table = new HistoryTable(spark, config.historyPath());
        List<HistoryFile> files = table.files(config.searchId());
        TreeMap<Integer, Long> rounds = populations(table.search(config.searchId()), round -> "delete the round's file "
                + HistoryFile.holding(files, round).stream().map(f -> new Path(searchDir, f.name()).toString()).toList()
                + " if it is the last one (the next run trains it again); otherwise restore it from a backup", problems);
        footerRows.forEach((round, n) -> {
            if (n == 0) {
                rounds.put(round, 0L);
            }
        });
        return rounds;
    }

    /**
     * A Delta table's rounds, from its log and files as Delta reads them (its files are Delta's to
     * name and its writes atomic, so there are no leftovers to look for); a problem for a table that
     * does not read and for a round whose population is not 0..n-1 once each.
     */
    private static TreeMap<Integer, Long> deltaPopulations(HistoryTable table, String id, List<Problem> problems) {
        String delta = "delta.`" + table.path() + "`";
        try {
            return populations(table.search(id), round -> "if it is the last round, delete it (`nasnet sql \"DELETE "
                    + "FROM " + delta + " WHERE search_id = '" + id + "' AND round = " + round + "\"`) and the next "
                    + "run trains it again; otherwise RESTORE the table to a version before the damage", problems);
        } catch (RuntimeException e) {
            problems.add(new Problem("the Delta table at " + table.path() + " does not read (" + e.getMessage() + ")",
                    "see its versions with `nasnet sql \"DESCRIBE HISTORY " + delta + "\"` and go back to the last "
                            + "good one with RESTORE TABLE " + delta + " TO VERSION AS OF n", true));
            return new TreeMap<>();
        }
    }

    /** Each round's rows in {@code search}, and a problem ({@code todo} for the round) for a bad population. */
    private static TreeMap<Integer, Long> populations(Dataset<Row> search, IntFunction<String> todo,
                                                      List<Problem> problems) {
        TreeMap<Integer, Long> rounds = new TreeMap<>();
        for (Row r : search.groupBy("round")
                .agg(count("*"), countDistinct("child_index"), min("child_index"), max("child_index"))
                .collectAsList()) {
            int round = r.getInt(0);
            long n = r.getLong(1);
            long distinct = r.getLong(2);
            rounds.put(round, n);
            if (distinct != n || r.getInt(3) != 0 || r.getInt(4) != n - 1) {
                problems.add(new Problem("round " + round + " holds " + n + " rows for " + distinct
                        + " children (indices " + r.getInt(3) + " to " + r.getInt(4) + "): duplicated or missing "
                        + "children", todo.apply(round), true));
            }
        }
        return rounds;
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

    /**
     * What a killed write leaves at the table's root: its staging folder ({@code _staging-*}; and
     * Spark's {@code _temporary} and {@code .spark-staging-*} of release 0.1), reported when they hold
     * this search's files, or files of no search at all. Harmless to reads (Spark skips names that
     * start with "_" or "."); with a live lease they may be a write in progress.
     */
    private static void leftovers(FileSystem fs, Path root, String id, boolean leaseLive, List<Problem> problems)
            throws IOException {
        if (!fs.exists(root)) {
            return;
        }
        for (FileStatus s : fs.listStatus(root)) {
            String name = s.getPath().getName();
            if (!s.isDirectory() || !(name.startsWith("_staging-") || name.equals("_temporary")
                    || name.startsWith(".spark-staging-"))) {
                continue;
            }
            if (!mentionsSearch(fs, s.getPath(), id)) {
                continue;
            }
            problems.add(leaseLive
                    ? new Problem(s.getPath() + " holds files of this search: a write in progress (the search's "
                    + "lease is live)", "nothing, unless no run is going on: then delete it", false)
                    : new Problem("a write killed before it finished left " + s.getPath() + " (Spark skips it when "
                    + "reading)", "delete it: hadoop fs -rm -r '" + s.getPath() + "'", false));
        }
    }

    /** Whether a leftover folder holds files of this search, or of no search (a write killed early). */
    private static boolean mentionsSearch(FileSystem fs, Path dir, String id) throws IOException {
        var files = fs.listFiles(dir, true);
        boolean any = false;
        while (files.hasNext()) {
            String p = files.next().getPath().toString();
            if (p.contains("/search_id=" + id + "/")) {
                return true;
            }
            any |= p.contains("/search_id=");
        }
        return !any;
    }

    private static boolean hidden(Path p) {
        String n = p.getName();
        return n.startsWith("_") || n.startsWith(".");
    }
}
