package io.nasnet.search;

import io.nasnet.config.ConfigException;
import io.nasnet.engine.RoundHistory;
import io.nasnet.history.ConfigTable;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.util.List;

/**
 * The rounds of a configuration's searches in the history table (Parquet or Delta): opened with the
 * catalog's tables when {@code history.catalog} names one (refreshed after each append) and the
 * configuration recorded in {@code nas_configs}, as every writer of rounds opens it.
 */
public final class TableHistory implements RoundHistory {

    private final HistoryTable table;
    private final HistoryCatalog catalog;

    private TableHistory(HistoryTable table, HistoryCatalog catalog) {
        this.table = table;
        this.catalog = catalog;
    }

    /**
     * The history table {@code config} writes, before any child trains: its catalog opened, and its
     * configuration recorded under its hash at {@code now}.
     */
    public static TableHistory open(SparkSession spark, SearchConfig config, Instant now) {
        HistoryCatalog catalog = openCatalog(spark, config);
        ConfigTable configs = new ConfigTable(spark, config.historyPath());
        configs.record(config.hash(), config.rendered(), now);
        if (catalog != null) {
            catalog.configs(configs.path(), ConfigTable.SCHEMA);
        }
        return new TableHistory(table(spark, config), catalog);
    }

    /** The history table {@code config} writes; a table stored in the other format is a configuration error. */
    static HistoryTable table(SparkSession spark, SearchConfig config) {
        try {
            return HistoryTable.forWriting(spark, config.historyPath(), config.historyFormat());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
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
            return HistoryCatalog.open(spark, config.historyCatalog(), table(spark, config));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
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
