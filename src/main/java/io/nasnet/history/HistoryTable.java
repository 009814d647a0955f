package io.nasnet.history;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * The history table at one path, Parquet or Delta; several searches share it by search id, one
 * partition ({@code search_id=X}) each. Its queries are here; how rows are written, compacted, read
 * back by round, travelled back in time and checked is its format's {@link HistoryStore}
 * ({@link ParquetStore}, {@link DeltaStore}).
 */
public final class HistoryTable {

    /** How the table is stored: {@code history.format}. */
    public enum Format {
        /** Plain Parquet files any engine reads (DuckDB included); the default. */
        PARQUET,
        /** A Delta Lake table: atomic round appends, OPTIMIZE, time travel, conflict detection. */
        DELTA;

        public static Format parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "parquet" -> PARQUET;
                case "delta" -> DELTA;
                default -> throw new IllegalArgumentException("history.format: '" + s + "' is not one of parquet, delta");
            };
        }
    }

    private final SparkSession spark;
    private final String path;
    private final Format format;
    private final HistoryStore store;

    /** The table at {@code path}, of the format it was written in (Delta when it has a {@code _delta_log}). */
    public HistoryTable(SparkSession spark, String path) {
        this(spark, path, stored(spark, path).orElse(Format.PARQUET));
    }

    private HistoryTable(SparkSession spark, String path, Format format) {
        this.spark = spark;
        this.path = path;
        this.format = format;
        this.store = format == Format.DELTA ? new DeltaStore(spark, path) : new ParquetStore(spark, path);
    }

    /**
     * The table a writer of {@code declared} format appends to; a table already stored in the other
     * format is an error saying how to convert it, never a second table beside the first.
     */
    public static HistoryTable forWriting(SparkSession spark, String path, Format declared) {
        Optional<Format> stored = stored(spark, path);
        if (stored.isPresent() && stored.get() != declared) {
            throw new IllegalArgumentException(stored.get() == Format.DELTA
                    ? "nasnet.history.format = parquet, but the history table at " + path + " is a Delta table (it has "
                    + "a _delta_log): set history.format = delta. Plain Parquet writes would bypass its log and stay "
                    + "invisible to Delta readers"
                    : "nasnet.history.format = delta, but the history table at " + path + " is plain Parquet: set "
                    + "history.format = parquet, or convert it once, while no search runs: `nasnet compact` (one "
                    + "file per search, no round folders), then `nasnet sql \"CONVERT TO DELTA parquet.`" + path
                    + "` PARTITIONED BY (search_id STRING)\"`");
        }
        return new HistoryTable(spark, path, declared);
    }

    /** The format of the table at {@code path}, or empty when nothing is there yet. */
    static Optional<Format> stored(SparkSession spark, String path) {
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(new Path(root, "_delta_log"))) {
                return Optional.of(Format.DELTA);
            }
            if (fs.exists(root) && Arrays.stream(fs.listStatus(root))
                    .anyMatch(f -> f.getPath().getName().startsWith("search_id="))) {
                return Optional.of(Format.PARQUET);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the history table at " + path + ": " + e.getMessage(), e);
        }
    }

    public Format format() {
        return format;
    }

    public String path() {
        return path;
    }

    /** The rows of a round whose file does not read, in {@link #check}'s counts. */
    public static final long UNKNOWN_ROWS = -1;

    /**
     * Writes rows, each (search id, round) they hold replacing exactly that round of that search: a
     * re-run round overwrites itself and nothing else. Pass rows already computed (local or cached).
     */
    public void write(Dataset<Row> rows) {
        store.write(rows);
    }

    /** The whole table (empty, with the schema, if nothing was written yet), each round of each search once. */
    public Dataset<Row> all() {
        return store.all();
    }

    /**
     * One round of one search, by child index; a Parquet table reads it from the file that holds it,
     * found by listing the search's folder alone, so it costs the same in a table of a year's searches.
     */
    public List<HistoryRecord> read(String searchId, int round) {
        return store.round(searchId, round);
    }

    /**
     * Rewrites every round of one search into as few files as its format allows, rows ordered by round
     * and child; the table answers every query with the same rows before, during and after. The caller
     * makes sure no driver writes the search meanwhile (its lease).
     */
    public Compaction compact(String searchId) {
        return store.compact(searchId);
    }

    /**
     * The table as it was at {@code when}: a Delta version number, or a timestamp
     * ({@code 2026-12-02 06:00:00}) for the table as it stood then, before a night's rounds.
     */
    public Dataset<Row> asOf(String when) {
        return store.asOf(when);
    }

    /** The searches whose folder holds round folders (the layout of release 0.1). */
    public List<String> legacySearches() {
        return store.legacySearches();
    }

    /**
     * Converts one search kept in round folders (release 0.1) into one compacted file and deletes its
     * round folders; run once, while no search runs.
     */
    public Compaction convert(String searchId) {
        if (!(store instanceof ParquetStore parquet)) {
            throw new IllegalStateException("the history table at " + path + " is a Delta table: nothing to convert");
        }
        return parquet.convert(searchId);
    }

    /** The data files in a search's folder of a Parquet table, by name; none for a Delta table. */
    public List<HistoryFile> files(String searchId) {
        return store instanceof ParquetStore parquet ? parquet.files(searchId) : List.of();
    }

    /**
     * The rows of each round of one search as the table's files hold them ({@link #UNKNOWN_ROWS} where
     * they do not read), adding to {@code problems} what is wrong with its format's layout: what
     * {@code nasnet check} counts. {@code othersMayWrite}: another run may be writing the table now.
     */
    public TreeMap<Integer, Long> check(String searchId, boolean othersMayWrite, List<Problem> problems)
            throws IOException {
        return store.check(searchId, othersMayWrite, problems);
    }

    /** Each round's rows in {@code search}, and a problem ({@code todo} for the round) for a bad population. */
    static TreeMap<Integer, Long> populations(Dataset<Row> search, java.util.function.IntFunction<String> todo,
                                              List<Problem> problems) {
        TreeMap<Integer, Long> rounds = new TreeMap<>();
        for (Row r : search.groupBy("round")
                .agg(functions.count("*"), functions.countDistinct("child_index"), functions.min("child_index"),
                        functions.max("child_index"))
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

    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The searches with a folder in the table, by id. */
    public List<String> searchIds() {
        return searchIds(spark, path);
    }

    /** The searches with a folder in the table at {@code path}, by id. */
    static List<String> searchIds(SparkSession spark, String path) {
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(root)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(root)).filter(FileStatus::isDirectory)
                    .map(s -> s.getPath().getName()).filter(n -> n.startsWith("search_id="))
                    .map(n -> n.substring("search_id=".length())).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the history table at " + path + ": " + e.getMessage(), e);
        }
    }

    /** What a compaction did: the search's data files before and after, and the rows it rewrote. */
    public record Compaction(String searchId, int filesBefore, int filesAfter, long rows) {
    }

    /** Bytes of Parquet a compacted file holds at most, roughly: few files, each large enough to read fast. */
    static final long COMPACTED_FILE_BYTES = 128L << 20;

    /**
     * The columns in {@link HistoryRecord#SCHEMA}'s order (Spark puts the partition column last); a
     * column a table written by an earlier release lacks reads as null.
     */
    static Dataset<Row> inSchemaOrder(Dataset<Row> rows) {
        java.util.Set<String> have = new java.util.HashSet<>(Arrays.asList(rows.columns()));
        return rows.select(Arrays.stream(HistoryRecord.SCHEMA.fields())
                .map(f -> have.contains(f.name()) ? functions.col(f.name())
                        : functions.lit(null).cast(f.dataType()).as(f.name()))
                .toArray(Column[]::new));
    }

    private Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    /** Each search's rounds as the {@code nas_rounds} view gives them, by search id, in round order. */
    public Map<String, List<RoundStats>> roundStats() {
        HistoryViews.register(spark, this);
        Map<String, List<RoundStats>> out = new TreeMap<>();
        for (Row r : spark.sql("SELECT * FROM nas_rounds ORDER BY search_id, round").collectAsList()) {
            out.computeIfAbsent(r.getAs("search_id"), k -> new ArrayList<>()).add(RoundStats.of(r));
        }
        return out;
    }

    /** Writes records ({@link #write}): each round they hold replaces that round. */
    public void append(List<HistoryRecord> records) {
        write(rows(records));
    }

    /** Records as rows of the table's schema, to write with the rows of a round's job. */
    public Dataset<Row> rows(List<HistoryRecord> records) {
        return spark.createDataFrame(records.stream().map(HistoryRecord::toRow).toList(), HistoryRecord.SCHEMA);
    }

    /**
     * A Parquet table of this project at {@code path} on any Hadoop FileSystem, or an empty one
     * with its schema before the first write, so queries over a new table answer with no rows.
     */
    public static Dataset<Row> readOrEmpty(SparkSession spark, String path, StructType schema, String what) {
        try {
            Path p = new Path(path);
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                return spark.createDataFrame(List.of(), schema);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + what + " at " + path + ": " + e.getMessage(), e);
        }
        return spark.read().schema(schema).parquet(path);
    }

    public Dataset<Row> search(String searchId) {
        return all().where(col("search_id").equalTo(searchId));
    }

    /** Every row of one search, by round and child index. */
    public List<HistoryRecord> records(String searchId) {
        return search(searchId).collectAsList().stream()
                .map(HistoryRecord::fromRow)
                .sorted(Comparator.comparingInt(HistoryRecord::round).thenComparingInt(HistoryRecord::childIndex))
                .toList();
    }

    /** Every evaluation of one architecture, in any search; an unknown id is an error naming the table. */
    public Dataset<Row> architecture(String archId) {
        Dataset<Row> rows = all().where(col("arch_id").equalTo(archId));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no architecture '" + archId + "' in the history table at " + path);
        }
        return rows;
    }

    /** The search ids in the table with the strategy each ran with. */
    public Map<String, String> strategies() {
        Map<String, String> out = new TreeMap<>();
        all().select("search_id", "strategy").distinct().collectAsList()
                .forEach(r -> out.put(r.getString(0), r.getString(1)));
        return out;
    }

    /**
     * The searches that sampled their architectures (not {@link HistoryRecord#GIVEN}) with children of
     * this budget, with their strategy: the searches whose rewards compare.
     */
    public Map<String, String> searchesAt(String budget) {
        Map<String, String> out = new TreeMap<>();
        all().where(col("budget").equalTo(budget).and(col("strategy").notEqual(HistoryRecord.GIVEN)))
                .select("search_id", "strategy").distinct().collectAsList()
                .forEach(r -> out.put(r.getString(0), r.getString(1)));
        return out;
    }

    /** The rounds of a search present in the table, ascending. */
    public List<Integer> rounds(String searchId) {
        return search(searchId).select("round").distinct().collectAsList().stream()
                .map(r -> r.getInt(0)).sorted().toList();
    }
}
