package io.nasnet.history;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;

/**
 * The Parquet history table at one path; several searches share it by search id. Each search has
 * a folder ({@code search_id=X}, the table's one partition column) of files named for the rounds
 * they hold ({@link HistoryFile}): one file per round as a search writes them, few after
 * {@link #compact}. Any Parquet reader reads the table; this class also hides, during the moment
 * between a write's rename and its deletes, the rows a newer file replaces.
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

    /** The table at {@code path}, of the format it was written in (Delta when it has a {@code _delta_log}). */
    public HistoryTable(SparkSession spark, String path) {
        this.spark = spark;
        this.path = path;
        this.format = stored(spark, path).orElse(Format.PARQUET);
    }

    private HistoryTable(SparkSession spark, String path, Format format) {
        this.spark = spark;
        this.path = path;
        this.format = format;
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

    /**
     * Writes rows, one new file per (search id, round) they belong to, replacing exactly that round
     * of that search: a re-run round overwrites itself and nothing else. Each file is written by
     * Spark into a hidden staging folder of the table, renamed into its search's folder, and only
     * then are the files it replaces deleted ({@link HistoryFile}). Pass rows already computed
     * (local or cached): each round's are coalesced into one task.
     */
    public void write(Dataset<Row> rows) {
        requireCurrentLayout();
        // the rows are local or cached: collecting two columns costs no shuffle, unlike Spark's distinct()
        for (Row key : rows.select("search_id", "round").collectAsList().stream().distinct().toList()) {
            String searchId = key.getString(0);
            int round = key.getInt(1);
            Dataset<Row> its = rows.where(col("search_id").equalTo(searchId).and(col("round").equalTo(round)));
            if (format == Format.DELTA) {
                // one commit: the round's rows replace whatever the round held, atomically for every reader
                inSchemaOrder(its).coalesce(1).write().format("delta").mode("overwrite")
                        .option("partitionOverwriteMode", "static") // the session's dynamic mode excludes replaceWhere
                        .option("mergeSchema", "true") // a table of an earlier release takes the new columns
                        .option("replaceWhere", "search_id = " + literal(searchId) + " AND round = " + round)
                        .partitionBy("search_id").save(path);
            } else {
                replace(searchId, its.coalesce(1), seq -> List.of(HistoryFile.roundName(round, seq)));
            }
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * Writes {@code rows} (of one search) through a staging folder and renames the files Spark wrote
     * into the search's folder under the names {@code names} gives for the next sequence number;
     * then deletes every file of the search that the new ones wholly replace. Returns the new files.
     */
    private List<Path> replace(String searchId, Dataset<Row> rows, LongFunction<List<String>> names) {
        Path root = new Path(path);
        Path staging = new Path(new Path(root, "_staging-" + UUID.randomUUID()), "search_id=" + searchId);
        try {
            FileSystem fs = root.getFileSystem(hadoop());
            rows.drop("search_id").write().parquet(staging.toString());
            List<Path> written = new ArrayList<>();
            for (FileStatus f : fs.listStatus(staging)) {
                if (f.isFile() && !hidden(f.getPath().getName())) {
                    written.add(f.getPath());
                }
            }
            Path dir = searchDir(searchId);
            fs.mkdirs(dir);
            List<String> targets = names.apply(HistoryFile.nextSeq(files(searchId)));
            if (targets.size() != written.size()) {
                throw new IllegalStateException("staged " + written.size() + " files for " + targets.size()
                        + " names in " + staging);
            }
            List<Path> placed = new ArrayList<>();
            for (int i = 0; i < written.size(); i++) {
                Path to = new Path(dir, targets.get(i));
                if (!fs.rename(written.get(i), to)) {
                    throw new IOException("cannot rename " + written.get(i) + " to " + to);
                }
                placed.add(to);
            }
            fs.delete(staging.getParent(), true);
            deleteReplaced(fs, searchId);
            return placed;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write search " + searchId + " into the history table at " + path
                    + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the files of a search whose every round a later file holds. */
    private void deleteReplaced(FileSystem fs, String searchId) throws IOException {
        for (var e : HistoryFile.shadowed(files(searchId)).entrySet()) {
            if (HistoryFile.wholly(e.getKey(), e.getValue())) {
                fs.delete(new Path(searchDir(searchId), e.getKey().name()), false);
            }
        }
    }

    /** The data files in a search's folder, by name; none when the search has no folder. */
    public List<HistoryFile> files(String searchId) {
        Path dir = searchDir(searchId);
        try {
            FileSystem fs = dir.getFileSystem(hadoop());
            if (!fs.exists(dir)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(dir)).filter(FileStatus::isFile)
                    .map(f -> HistoryFile.parse(f.getPath().getName())).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(HistoryFile::name)).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The searches with a folder in the table, by id. */
    public List<String> searchIds() {
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(hadoop());
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

    /** A search's folder in the table. */
    public Path searchDir(String searchId) {
        return new Path(new Path(path), "search_id=" + searchId);
    }

    /** What a compaction did: the search's data files before and after, and the rows it rewrote. */
    public record Compaction(String searchId, int filesBefore, int filesAfter, long rows) {
    }

    /** Bytes of Parquet a compacted file holds at most, roughly: few files, each large enough to read fast. */
    static final long COMPACTED_FILE_BYTES = 128L << 20;

    /**
     * Rewrites every round of one search into as few files as {@link #COMPACTED_FILE_BYTES} allows,
     * rows ordered by round and child; the table answers every query with the same rows before,
     * during and after. The caller makes sure no driver writes the search meanwhile (its lease).
     */
    public Compaction compact(String searchId) {
        if (format == Format.DELTA) {
            int before = search(searchId).inputFiles().length;
            io.delta.tables.DeltaTable.forPath(spark, path).optimize().where("search_id = " + literal(searchId))
                    .executeCompaction();
            return new Compaction(searchId, before, search(searchId).inputFiles().length, search(searchId).count());
        }
        requireCurrentLayout();
        List<HistoryFile> before = files(searchId);
        if (before.isEmpty() || before.size() == 1 && before.get(0).compacted()) {
            return new Compaction(searchId, before.size(), before.size(), -1);
        }
        Dataset<Row> rows = searchRows(searchId).cache();
        try {
            long n = rows.count();
            Row range = rows.agg(functions.min("round"), functions.max("round")).first();
            int first = range.getInt(0);
            int last = range.getInt(1);
            int parts = (int) Math.max(1, Math.ceil(bytes(searchId) / (double) COMPACTED_FILE_BYTES));
            Dataset<Row> ordered = (parts == 1 ? rows.coalesce(1) : rows.repartitionByRange(parts, col("round")))
                    .sortWithinPartitions("round", "child_index");
            List<Path> placed = replace(searchId, ordered, seq -> IntStream.range(0, parts)
                    .mapToObj(i -> HistoryFile.compactedName(first, last, seq, i)).toList());
            long written = 0;
            for (Path p : placed) {
                try (var reader = ParquetFileReader.open(
                        HadoopInputFile.fromPath(p, hadoop()))) {
                    written += reader.getRecordCount();
                }
            }
            if (written != n) {
                throw new IllegalStateException("compacting search " + searchId + " wrote " + written + " rows of "
                        + n + " into " + placed);
            }
            return new Compaction(searchId, before.size(), files(searchId).size(), n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read back the compacted files of search " + searchId + ": "
                    + e.getMessage(), e);
        } finally {
            rows.unpersist();
        }
    }

    private long bytes(String searchId) {
        try {
            return searchDir(searchId).getFileSystem(hadoop()).getContentSummary(searchDir(searchId)).getLength();
        } catch (IOException e) {
            throw new IllegalStateException("cannot measure " + searchDir(searchId) + ": " + e.getMessage(), e);
        }
    }

    /** One search's rows, read from its folder alone. */
    private Dataset<Row> searchRows(String searchId) {
        List<HistoryFile> files = files(searchId);
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), HistoryRecord.SCHEMA);
        }
        Dataset<Row> rows = spark.read().schema(HistoryRecord.SCHEMA).option("basePath", path)
                .parquet(files.stream().map(f -> new Path(searchDir(searchId), f.name()).toString()).toArray(String[]::new));
        return inSchemaOrder(current(rows, HistoryFile.shadowed(files)));
    }

    /**
     * The columns in {@link HistoryRecord#SCHEMA}'s order (Spark puts the partition column last); a
     * column a table written by an earlier release lacks reads as null.
     */
    private static Dataset<Row> inSchemaOrder(Dataset<Row> rows) {
        java.util.Set<String> have = new java.util.HashSet<>(Arrays.asList(rows.columns()));
        return rows.select(Arrays.stream(HistoryRecord.SCHEMA.fields())
                .map(f -> have.contains(f.name()) ? functions.col(f.name())
                        : functions.lit(null).cast(f.dataType()).as(f.name()))
                .toArray(Column[]::new));
    }

    /**
     * {@code rows} without the rounds of files that a later file holds ({@code hidden}): each round from
     * exactly one file, however a listing fell between a write's rename and its deletes.
     */
    private static Dataset<Row> current(Dataset<Row> rows, Map<HistoryFile, Set<Integer>> hidden) {
        if (hidden.isEmpty()) {
            return rows;
        }
        Column drop = functions.lit(false);
        for (var e : hidden.entrySet()) {
            Column inFile = col("_metadata.file_name").equalTo(e.getKey().name());
            drop = drop.or(HistoryFile.wholly(e.getKey(), e.getValue()) ? inFile
                    : inFile.and(col("round").isin(e.getValue().toArray())));
        }
        return rows.where(functions.not(drop));
    }

    /**
     * Fails when the table keeps its rounds in folders ({@code search_id=X/round=N/}, the layout of
     * release 0.1): new files beside those folders would make the table unreadable to Spark and
     * DuckDB. {@code nasnet compact} converts such a table.
     */
    private void requireCurrentLayout() {
        if (!layoutChecked) {
            legacySearches().stream().findFirst().ifPresent(s -> {
                throw new IllegalStateException("the history table at " + path + " keeps its rounds in folders (the "
                        + "layout of release 0.1, e.g. " + searchDir(s) + "/round=0); convert it once with `nasnet "
                        + "compact` (all searches, while none runs), then run again");
            });
            layoutChecked = true;
        }
    }

    private boolean layoutChecked;

    /** The searches whose folder holds round folders (the layout of release 0.1). */
    public List<String> legacySearches() {
        if (format == Format.DELTA) {
            return List.of();
        }
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(hadoop());
            if (!fs.exists(root)) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(root)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith("search_id=") && Arrays.stream(fs.listStatus(s.getPath()))
                        .anyMatch(f -> f.isDirectory() && f.getPath().getName().startsWith("round="))) {
                    out.add(name.substring("search_id=".length()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the history table at " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Converts one search kept in round folders (release 0.1) into one compacted file per search and
     * deletes its round folders. While it runs the table mixes both layouts and readers of the
     * whole table fail; a conversion is run once, while no search runs.
     */
    public Compaction convert(String searchId) {
        Path dir = searchDir(searchId);
        try {
            FileSystem fs = dir.getFileSystem(hadoop());
            List<Path> roundDirs = Arrays.stream(fs.listStatus(dir))
                    .filter(f -> f.isDirectory() && f.getPath().getName().startsWith("round="))
                    .map(FileStatus::getPath).toList();
            Dataset<Row> rows = spark.read().schema(HistoryRecord.SCHEMA).option("basePath", path)
                    .parquet(roundDirs.stream().map(Path::toString).toArray(String[]::new)).cache();
            long n = rows.count();
            Row range = rows.agg(functions.min("round"), functions.max("round")).first();
            replace(searchId, rows.coalesce(1).sortWithinPartitions("round", "child_index"),
                    seq -> List.of(HistoryFile.compactedName(range.getInt(0), range.getInt(1), seq, 0)));
            rows.unpersist();
            for (Path p : roundDirs) {
                fs.delete(p, true);
            }
            return new Compaction(searchId, roundDirs.size(), files(searchId).size(), n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot convert search " + searchId + " of " + path + ": "
                    + e.getMessage(), e);
        }
    }

    private Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    /**
     * The table as it was at {@code when}: a Delta version number, or a timestamp
     * ({@code 2026-12-02 06:00:00}) for the table as it stood then, before a night's rounds.
     */
    public Dataset<Row> asOf(String when) {
        if (format != Format.DELTA) {
            throw new IllegalArgumentException("the history table at " + path + " is plain Parquet, which keeps no "
                    + "earlier versions; time travel needs history.format = delta");
        }
        return inSchemaOrder(spark.read().format("delta")
                .option(when.trim().matches("\\d+") ? "versionAsOf" : "timestampAsOf", when.trim()).load(path));
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
     * The whole table (empty, with the schema, if nothing was written yet), each round of each
     * search from the one file that holds it now, decided on the same listing Spark reads.
     */
    public Dataset<Row> all() {
        if (format == Format.DELTA) {
            return stored(spark, path).isEmpty() ? spark.createDataFrame(List.of(), HistoryRecord.SCHEMA)
                    : inSchemaOrder(spark.read().format("delta").load(path));
        }
        Dataset<Row> rows = readOrEmpty(spark, path, HistoryRecord.SCHEMA, "the history table");
        Map<String, List<HistoryFile>> bySearch = new HashMap<>();
        for (String f : rows.inputFiles()) {
            Path p = new Path(f);
            HistoryFile.parse(p.getName()).ifPresent(h -> bySearch.computeIfAbsent(p.getParent().getName(),
                    k -> new ArrayList<>()).add(h));
        }
        Map<HistoryFile, Set<Integer>> hidden = new HashMap<>();
        bySearch.values().forEach(files -> hidden.putAll(HistoryFile.shadowed(files)));
        return inSchemaOrder(current(rows, hidden));
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

    /**
     * One round of one search, by child index; read from the file that holds it, found by listing
     * the search's folder alone (not the table), so it costs the same in a table of a year's searches.
     */
    public List<HistoryRecord> read(String searchId, int round) {
        if (format == Format.DELTA) {
            return search(searchId).where(col("round").equalTo(round)).collectAsList().stream()
                    .map(HistoryRecord::fromRow).sorted(Comparator.comparingInt(HistoryRecord::childIndex)).toList();
        }
        List<HistoryFile> holding = HistoryFile.holding(files(searchId), round);
        if (holding.isEmpty()) {
            return List.of();
        }
        return spark.read().schema(HistoryRecord.SCHEMA).option("basePath", path)
                .parquet(holding.stream().map(f -> new Path(searchDir(searchId), f.name()).toString()).toArray(String[]::new))
                .where(col("round").equalTo(round))
                .collectAsList().stream()
                .map(HistoryRecord::fromRow)
                .sorted(Comparator.comparingInt(HistoryRecord::childIndex))
                .toList();
    }

    /** The rounds of a search present in the table, ascending. */
    public List<Integer> rounds(String searchId) {
        return search(searchId).select("round").distinct().collectAsList().stream()
                .map(r -> r.getInt(0)).sorted().toList();
    }
}
