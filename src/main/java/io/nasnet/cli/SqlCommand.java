package io.nasnet.cli;

import io.nasnet.history.HistoryTable;
import io.nasnet.history.HistoryViews;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code sql "<query>"}: Spark SQL over the history (views nas_history, nas_best, nas_rounds). */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run Spark SQL over the search history: views nas_history, nas_best (best evaluation "
                + "of each architecture), nas_rounds (per round: done, failed, cached, mean, best, best so far).")
final class SqlCommand extends HistoryCommand {

    @Parameters(index = "0", description = "the query")
    String query;

    @Option(names = "--format", description = "table, csv or json (default: table)")
    TableOutput.Format format = TableOutput.Format.TABLE;

    @Option(names = "--as-of", paramLabel = "WHEN", description = "query the history as it was at WHEN: a "
            + "Delta version number or a timestamp such as '2026-12-02 06:00:00' (history.format = delta)")
    String asOf;

    @Override
    int run(SparkSession spark, HistoryTable table, PrintWriter out) {
        if (asOf != null) {
            HistoryViews.register(spark, table.asOf(asOf));
        }
        TableOutput.print(spark.sql(query), format, out);
        return 0;
    }
}
