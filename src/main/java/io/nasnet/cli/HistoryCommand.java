package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import io.nasnet.history.ConfigTable;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.HistoryViews;
import io.nasnet.train.FinalTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** A command that reads the history table with its SQL views registered. */
abstract class HistoryCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SearchConfig config = options.load(List.of());
        SparkSession spark = Spark.session(config);
        HistoryTable table = new HistoryTable(spark, config.historyPath());
        HistoryViews.register(spark, table);
        new FinalTable(spark, config.finalPath()).register();
        new ConfigTable(spark, config.historyPath()).register();
        int code = run(spark, table, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return code;
    }

    abstract int run(SparkSession spark, HistoryTable table, PrintWriter out) throws Exception;

    /** Fails with a clear message if the table has no rows of that search. */
    static void requireSearch(HistoryTable table, String searchId) {
        if (table.search(searchId).limit(1).count() == 0) {
            throw new IllegalArgumentException("no search '" + searchId + "' in the history table at " + table.path());
        }
    }
}
