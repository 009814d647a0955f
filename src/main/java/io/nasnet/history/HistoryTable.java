package io.nasnet.history;

import io.nasnet.child.Status;
import org.apache.spark.sql.functions;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/** The Parquet history table at one path; several searches share it by search id. */
public final class HistoryTable {

    private final SparkSession spark;
    private final String path;

    public HistoryTable(SparkSession spark, String path) {
        this.spark = spark;
        this.path = path;
    }

    public String path() {
        return path;
    }

    /**
     * Writes rows, replacing exactly the (search id, round) partitions they belong to: a re-run
     * round overwrites itself and nothing else. One file per partition: pass rows already computed
     * (cached), since coalescing merges the upstream partitions into one task.
     */
    public void write(Dataset<Row> rows) {
        rows.coalesce(1).write()
                .mode(SaveMode.Overwrite)
                .option("partitionOverwriteMode", "dynamic")
                .partitionBy("search_id", "round")
                .parquet(path);
    }

    /** Each search's rounds as the {@code nas_rounds} view gives them, by search id, in round order. */
    public Map<String, List<RoundStats>> roundStats() {
        HistoryViews.register(spark, this);
        Map<String, List<RoundStats>> out = new TreeMap<>();
        for (Row r : spark.sql("SELECT * FROM nas_rounds ORDER BY search_id, round").collectAsList()) {
            out.computeIfAbsent(r.getAs("search_id"), k -> new java.util.ArrayList<>()).add(RoundStats.of(r));
        }
        return out;
    }

    /** Records as rows of the table's schema, to write with the rows of a round's job. */
    public Dataset<Row> rows(List<HistoryRecord> records) {
        return spark.createDataFrame(records.stream().map(HistoryRecord::toRow).toList(), HistoryRecord.SCHEMA);
    }

    /** The whole table (empty, with the schema, if nothing was written yet). */
    public Dataset<Row> all() {
        return readOrEmpty(spark, path, HistoryRecord.SCHEMA, "the history table");
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

    /** One round of one search, by child index; read from its partition alone, not by listing the table. */
    public List<HistoryRecord> read(String searchId, int round) {
        Path partition = new Path(new Path(path, "search_id=" + searchId), "round=" + round);
        try {
            if (!partition.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(partition)) {
                return List.of();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + partition + ": " + e.getMessage(), e);
        }
        return spark.read().schema(HistoryRecord.SCHEMA).option("basePath", path).parquet(partition.toString())
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

    /**
     * The first evaluation of each architecture trained through the whole proxy at this budget
     * ({@link Status#trained}, not stopped at a lower rung), by arch id.
     */
    public Map<String, HistoryRecord> trained(String searchId, String budget) {
        Map<String, HistoryRecord> out = new HashMap<>();
        search(searchId).where(functions.expr(Status.sql(Status::trained)).and(col("budget").equalTo(budget)))
                .collectAsList().stream().map(HistoryRecord::fromRow)
                .filter(HistoryRecord::wholeProxy)
                .sorted(Comparator.comparingInt(HistoryRecord::round).thenComparingInt(HistoryRecord::childIndex))
                .forEach(r -> out.putIfAbsent(r.archId(), r));
        return out;
    }
}
