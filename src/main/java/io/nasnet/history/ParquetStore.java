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
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;

/**
 * The history table as plain Parquet files, its layout its own: a folder per search
 * ({@code search_id=X}) of files named for the rounds they hold ({@link HistoryFile}), written
 * through a staging folder and renamed into place, compacted into few files, the round folders of
 * release 0.1 converted; and the checks of that layout {@code nasnet check} runs (footers, stray and
 * leftover files, each round's population).
 */
final class ParquetStore implements HistoryStore {

    private static final Pattern ROUND_DIR = Pattern.compile("round=(\\d+)");

    private final SparkSession spark;
    private final String path;
    private boolean layoutChecked;

    ParquetStore(SparkSession spark, String path) {
        this.spark = spark;
        this.path = path;
    }

    /**
     * Writes rows, one new file per (search id, round) they belong to, replacing exactly that round
     * of that search: a re-run round overwrites itself and nothing else. Each file is written by
     * Spark into a staging folder beside the table ({@link #stagingRoot}), renamed into its search's folder, and only
     * then are the files it replaces deleted ({@link HistoryFile}). Pass rows already computed
     * (local or cached): each round's are coalesced into one task.
     */
    @Override
    public void write(Dataset<Row> rows) {
        requireCurrentLayout();
        // the rows are local or cached: collecting two columns costs no shuffle, unlike Spark's distinct()
        for (Row key : rows.select("search_id", "round").collectAsList().stream().distinct().toList()) {
            String searchId = key.getString(0);
            int round = key.getInt(1);
            Dataset<Row> its = rows.where(col("search_id").equalTo(searchId).and(col("round").equalTo(round)));
            replace(searchId, its.coalesce(1), seq -> List.of(HistoryFile.roundName(round, seq)));
        }
    }

    /**
     * Writes {@code rows} (of one search) through a staging folder and renames the files Spark wrote
     * into the search's folder under the names {@code names} gives for the next sequence number;
     * then deletes every file of the search that the new ones wholly replace. Returns the new files.
     */
    private List<Path> replace(String searchId, Dataset<Row> rows, LongFunction<List<String>> names) {
        Path root = new Path(path);
        Path staging = new Path(new Path(stagingRoot(root), UUID.randomUUID().toString()), "search_id=" + searchId);
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

    /**
     * Where writes and compactions stage their files: beside the table's folder, never in it
     * ({@code .history-staging} for a table at {@code .../history}), so that a reader of the table's
     * files (DuckDB, Trino, a glob of {@code HISTORY/**}{@code /*.parquet}) never meets a file
     * still being written; renamed into the table once whole.
     */
    static Path stagingRoot(Path table) {
        Path parent = table.getParent();
        if (parent == null) {
            throw new IllegalStateException("the history table cannot be a FileSystem's root (" + table
                    + "): its writes stage their files beside its folder");
        }
        return new Path(parent, "." + table.getName() + "-staging");
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
    List<HistoryFile> files(String searchId) {
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

    /** A search's folder in the table. */
    Path searchDir(String searchId) {
        return new Path(new Path(path), "search_id=" + searchId);
    }

    /**
     * Rewrites every round of one search into as few files as {@link #COMPACTED_FILE_BYTES} allows,
     * rows ordered by round and child; the table answers every query with the same rows before,
     * during and after. The caller makes sure no driver writes the search meanwhile (its lease).
     */
    @Override
    public HistoryTable.Compaction compact(String searchId) {
        requireCurrentLayout();
        List<HistoryFile> before = files(searchId);
        if (before.isEmpty() || before.size() == 1 && before.get(0).compacted()) {
            return new HistoryTable.Compaction(searchId, before.size(), before.size(), -1);
        }
        Dataset<Row> rows = searchRows(searchId).cache();
        try {
            long n = rows.count();
            Row range = rows.agg(functions.min("round"), functions.max("round")).first();
            int first = range.getInt(0);
            int last = range.getInt(1);
            int parts = (int) Math.max(1, Math.ceil(bytes(searchId) / (double) HistoryTable.COMPACTED_FILE_BYTES));
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
            return new HistoryTable.Compaction(searchId, before.size(), files(searchId).size(), n);
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
        return HistoryTable.inSchemaOrder(current(rows, HistoryFile.shadowed(files)));
    }

    /**
     * The whole table (empty, with the schema, if nothing was written yet), each round of each
     * search from the one file that holds it now, decided on the same listing Spark reads.
     */
    @Override
    public Dataset<Row> all() {
        Dataset<Row> rows = HistoryTable.readOrEmpty(spark, path, HistoryRecord.SCHEMA, "the history table");
        Map<String, List<HistoryFile>> bySearch = new HashMap<>();
        for (String f : rows.inputFiles()) {
            Path p = new Path(f);
            HistoryFile.parse(p.getName()).ifPresent(h -> bySearch.computeIfAbsent(p.getParent().getName(),
                    k -> new ArrayList<>()).add(h));
        }
        Map<HistoryFile, Set<Integer>> hidden = new HashMap<>();
        bySearch.values().forEach(files -> hidden.putAll(HistoryFile.shadowed(files)));
        return HistoryTable.inSchemaOrder(current(rows, hidden));
    }

    /**
     * One round of one search, by child index; read from the file that holds it, found by listing
     * the search's folder alone (not the table), so it costs the same in a table of a year's searches.
     */
    @Override
    public List<HistoryRecord> round(String searchId, int round) {
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

    /** The searches whose folder holds round folders (the layout of release 0.1). */
    @Override
    public List<String> legacySearches() {
        try {
            FileSystem fs = new Path(path).getFileSystem(hadoop());
            List<String> out = new ArrayList<>();
            for (String id : HistoryTable.searchIds(spark, path)) {
                if (Arrays.stream(fs.listStatus(searchDir(id)))
                        .anyMatch(f -> f.isDirectory() && f.getPath().getName().startsWith("round="))) {
                    out.add(id);
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
    HistoryTable.Compaction convert(String searchId) {
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
            return new HistoryTable.Compaction(searchId, roundDirs.size(), files(searchId).size(), n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot convert search " + searchId + " of " + path + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Dataset<Row> asOf(String when) {
        throw new IllegalArgumentException("the history table at " + path + " is plain Parquet, which keeps no "
                + "earlier versions; time travel needs history.format = delta");
    }

    @Override
    public TreeMap<Integer, Long> check(String searchId, boolean othersMayWrite, List<Problem> problems)
            throws IOException {
        Path root = new Path(path);
        FileSystem fs = root.getFileSystem(hadoop());
        Path searchDir = fs.makeQualified(searchDir(searchId));
        leftovers(fs, root, searchId, othersMayWrite, problems);
        TreeMap<Integer, Long> footerRows = new TreeMap<>();
        boolean readable = roundFiles(fs, searchDir, hadoop(), footerRows, problems);
        return readable && fs.exists(searchDir) ? populations(searchId, searchDir, footerRows, problems)
                : new TreeMap<>(footerRows);
    }

    /**
     * The rows each round's file counts in its Parquet footer ({@code UNKNOWN_ROWS} where a file does not
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
                rows = HistoryTable.UNKNOWN_ROWS;
            }
            if (!f.compacted() && !shadowed.containsKey(f)) {
                footerRows.put(f.first(), rows);
            } else if (rows == HistoryTable.UNKNOWN_ROWS) {
                for (int r = f.first(); r <= f.last(); r++) {
                    footerRows.put(r, HistoryTable.UNKNOWN_ROWS);
                }
            }
        }
        return readable;
    }

    /** Each round's rows, read by Spark, and a problem for a round whose population is not 0..n-1 once each. */
    private TreeMap<Integer, Long> populations(String searchId, Path searchDir, TreeMap<Integer, Long> footerRows,
                                               List<Problem> problems) {
        List<HistoryFile> files = files(searchId);
        TreeMap<Integer, Long> rounds = HistoryTable.populations(all().where(col("search_id").equalTo(searchId)),
                round -> "delete the round's file "
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
     * What a killed write leaves: its staging folder beside the table ({@link #stagingRoot}; in the
     * table's root, {@code _staging-*} of earlier releases, Spark's {@code _temporary} and
     * {@code .spark-staging-*} of release 0.1), reported when they hold
     * this search's files, or files of no search at all. Harmless to reads (Spark skips names that
     * start with "_" or "."); with a live lease they may be a write in progress.
     */
    private static void leftovers(FileSystem fs, Path root, String id, boolean leaseLive, List<Problem> problems)
            throws IOException {
        if (!fs.exists(root)) {
            return;
        }
        List<FileStatus> candidates = new ArrayList<>(Arrays.asList(fs.listStatus(root)));
        Path staging = stagingRoot(root);
        if (fs.exists(staging)) {
            candidates.addAll(Arrays.asList(fs.listStatus(staging)));
        }
        for (FileStatus s : candidates) {
            String name = s.getPath().getName();
            boolean staged = s.getPath().getParent().getName().equals(staging.getName());
            if (!s.isDirectory() || !(staged || name.startsWith("_staging-") || name.equals("_temporary")
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

    private Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    private static boolean hidden(Path p) {
        String n = p.getName();
        return n.startsWith("_") || n.startsWith(".");
    }
}
