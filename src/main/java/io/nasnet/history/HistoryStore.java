package io.nasnet.history;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.util.List;
import java.util.TreeMap;

/**
 * How one format keeps the history table: its layout, its writes, reads, compaction and time travel,
 * and the checks of its layout. {@link HistoryTable} answers the queries on top of either.
 */
sealed interface HistoryStore permits ParquetStore, DeltaStore {

    /** Writes rows, each (search id, round) they hold replacing exactly that round of that search. */
    void write(Dataset<Row> rows);

    /** The whole table in the schema's column order, each round once (empty, with the schema, before any write). */
    Dataset<Row> all();

    /** One round of one search, by child index. */
    List<HistoryRecord> round(String searchId, int round);

    /** Rewrites one search into few files; the table answers every query alike before, during and after. */
    HistoryTable.Compaction compact(String searchId);

    /** The table as it was at a version or time. */
    Dataset<Row> asOf(String when);

    /** The searches kept in the layout of release 0.1 (round folders). */
    List<String> legacySearches();

    /**
     * The rows of each round of one search as its files hold them ({@link HistoryTable#UNKNOWN_ROWS} where
     * they do not read), adding to {@code problems} what is wrong with the layout; {@code othersMayWrite}:
     * another run may be writing now, so its staging files are no leftovers.
     */
    TreeMap<Integer, Long> check(String searchId, boolean othersMayWrite, List<Problem> problems) throws IOException;
}
