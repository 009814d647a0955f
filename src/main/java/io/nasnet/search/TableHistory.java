package io.nasnet.search;

import io.nasnet.config.ConfigException;
import io.nasnet.engine.RoundHistory;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * The rounds of a search in the history table (Parquet or Delta), the catalog's tables refreshed
 * after each append when {@code history.catalog} names one.
 */
public final class TableHistory implements RoundHistory {

    private final HistoryTable table;
    private final HistoryCatalog catalog;

    TableHistory(HistoryTable table, HistoryCatalog catalog) {
        this.table = table;
        this.catalog = catalog;
    }

    /**
     * The catalog {@code history.catalog} names, opened (its history table created or refreshed) before
     * a run trains anything; null when the setting is empty. A catalog that cannot hold the tables is a
     * configuration error.
     */
    public static HistoryCatalog openCatalog(SparkSession spark, SearchConfig config) {
        if (config.historyCatalog().isEmpty()) {
            return null;
        }
        try {
            return HistoryCatalog.open(spark, config.historyCatalog(),
                    HistoryTable.forWriting(spark, config.historyPath(), config.historyFormat()));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    HistoryTable table() {
        return table;
    }

    /** Refreshes the catalog's view of the search's files (after a compaction). */
    void refreshCatalog(String searchId) {
        if (catalog != null) {
            catalog.refresh(table, searchId);
        }
    }

    @Override
    public List<HistoryRecord> records(String searchId) {
        return table.records(searchId);
    }

    @Override
    public List<HistoryRecord> round(String searchId, int round) {
        return table.read(searchId, round);
    }

    @Override
    public void append(List<HistoryRecord> rows) {
        table.append(rows);
        rows.stream().map(HistoryRecord::searchId).distinct().forEach(this::refreshCatalog);
    }

    @Override
    public String where() {
        return table.path();
    }
}
