package io.nasnet.search;

import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nasnet compact}: each search's round files rewritten into few files, under the search's
 * lease, so that a driver never writes a search while it is compacted and a search a driver runs is
 * refused, naming the holder. A table in release 0.1's layout (round folders) is converted as a
 * whole, and only when no search of it runs.
 */
public final class Compaction {

    /** What a run did: the searches compacted, and those refused with why. */
    public record Outcome(List<HistoryTable.Compaction> done, List<String> refused) {
    }

    private Compaction() {
    }

    /** Compacts {@code searchIds} (every search of the table when empty) of the configuration's table. */
    public static Outcome run(SparkSession spark, SearchConfig config, List<String> searchIds, Clock clock) {
        HistoryTable table = new HistoryTable(spark, config.historyPath());
        List<String> legacy = table.legacySearches();
        List<String> ids = searchIds.isEmpty() || !legacy.isEmpty() ? table.searchIds() : searchIds;
        for (String id : searchIds) {
            if (!ids.contains(id)) {
                throw new IllegalArgumentException("the history table at " + config.historyPath() + " holds no search '"
                        + id + "'");
            }
        }
        List<Lease> held = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<HistoryTable.Compaction> done = new ArrayList<>();
        try {
            for (String id : ids) {
                Lease lease = take(spark, config, id, clock, refused);
                if (lease == null) {
                    continue;
                }
                if (legacy.isEmpty()) {
                    try (lease) {
                        done.add(table.compact(id));
                    }
                } else {
                    held.add(lease);
                }
            }
            if (!legacy.isEmpty()) {
                if (!refused.isEmpty()) {
                    refused.add(0, "the table keeps rounds in folders (release 0.1) and is converted as a whole: "
                            + "nothing was changed");
                    return new Outcome(List.of(), refused);
                }
                legacy.forEach(id -> done.add(table.convert(id)));
                ids.stream().filter(id -> !legacy.contains(id)).forEach(id -> done.add(table.compact(id)));
            }
        } finally {
            held.forEach(Lease::close);
        }
        return new Outcome(done, refused);
    }

    private static Lease take(SparkSession spark, SearchConfig config, String id, Clock clock, List<String> refused) {
        try {
            return Lease.acquire(config.checkpointPath(), id, "nasnet compact " + spark.sparkContext().applicationId(),
                    config.leaseTtl(), spark.sparkContext().hadoopConfiguration(), clock);
        } catch (IllegalStateException e) {
            refused.add(e.getMessage());
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot take the lease of search " + id + " in " + config.checkpointPath()
                    + ": " + e.getMessage(), e);
        }
    }
}
