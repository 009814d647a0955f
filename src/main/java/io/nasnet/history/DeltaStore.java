package io.nasnet.history;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * The history table as a Delta Lake table, its layout Delta's: a round written is one commit that
 * replaces the round ({@code replaceWhere}) and evolves the schema; compaction is OPTIMIZE; the table
 * reads back as it was at a version or time; and its check is Delta's own reading of each round's
 * population (its files are Delta's to name and its writes atomic: no leftovers to look for).
 */
final class DeltaStore implements HistoryStore {

    private final SparkSession spark;
    private final String path;

    DeltaStore(SparkSession spark, String path) {
        this.spark = spark;
        this.path = path;
    }

    /** Each (search id, round) of {@code rows} in one commit that replaces that round, atomically for every reader. */
    @Override
    public void write(Dataset<Row> rows) {
        for (Row key : rows.select("search_id", "round").collectAsList().stream().distinct().toList()) {
            String searchId = key.getString(0);
            int round = key.getInt(1);
            Dataset<Row> its = rows.where(col("search_id").equalTo(searchId).and(col("round").equalTo(round)));
            HistoryTable.inSchemaOrder(its).coalesce(1).write().format("delta").mode("overwrite")
                    .option("partitionOverwriteMode", "static") // the session's dynamic mode excludes replaceWhere
                    .option("mergeSchema", "true") // a table of an earlier release takes the new columns
                    .option("replaceWhere", "search_id = " + HistoryTable.literal(searchId) + " AND round = " + round)
                    .partitionBy("search_id").save(path);
        }
    }

    @Override
    public Dataset<Row> all() {
        return HistoryTable.stored(spark, path).isEmpty() ? spark.createDataFrame(List.of(), HistoryRecord.SCHEMA)
                : HistoryTable.inSchemaOrder(spark.read().format("delta").load(path));
    }

    private Dataset<Row> search(String searchId) {
        return all().where(col("search_id").equalTo(searchId));
    }

    @Override
    public List<HistoryRecord> round(String searchId, int round) {
        return search(searchId).where(col("round").equalTo(round)).collectAsList().stream()
                .map(HistoryRecord::fromRow).sorted(Comparator.comparingInt(HistoryRecord::childIndex)).toList();
    }

    /** Delta's OPTIMIZE of the search's partition: every row as before, in fewer files. */
    @Override
    public HistoryTable.Compaction compact(String searchId) {
        int before = search(searchId).inputFiles().length;
        io.delta.tables.DeltaTable.forPath(spark, path).optimize().where("search_id = "
                + HistoryTable.literal(searchId)).executeCompaction();
        return new HistoryTable.Compaction(searchId, before, search(searchId).inputFiles().length,
                search(searchId).count());
    }

    @Override
    public Dataset<Row> asOf(String when) {
        return HistoryTable.inSchemaOrder(spark.read().format("delta")
                .option(when.trim().matches("\\d+") ? "versionAsOf" : "timestampAsOf", when.trim()).load(path));
    }

    /** A Delta table has no round folders: release 0.1 wrote Parquet only. */
    @Override
    public List<String> legacySearches() {
        return List.of();
    }

    @Override
    public TreeMap<Integer, Long> check(String searchId, boolean othersMayWrite, List<Problem> problems) {
        String delta = "delta.`" + path + "`";
        try {
            return HistoryTable.populations(search(searchId), round -> "if it is the last round, delete it (`nasnet sql "
                    + "\"DELETE FROM " + delta + " WHERE search_id = '" + searchId + "' AND round = " + round + "\"`) and "
                    + "the next run trains it again; otherwise RESTORE the table to a version before the damage", problems);
        } catch (RuntimeException e) {
            problems.add(new Problem("the Delta table at " + path + " does not read (" + e.getMessage() + ")",
                    "see its versions with `nasnet sql \"DESCRIBE HISTORY " + delta + "\"` and go back to the last "
                            + "good one with RESTORE TABLE " + delta + " TO VERSION AS OF n", true));
            return new TreeMap<>();
        }
    }
}
