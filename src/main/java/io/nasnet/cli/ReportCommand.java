package io.nasnet.cli;

import io.nasnet.history.HistoryTable;
import io.nasnet.report.Report;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code report --search-id ID --out DIR}: the search as an offline HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write an HTML report of a search: reward charts, op choices, the best cells drawn.")
final class ReportCommand extends HistoryCommand {

    @Option(names = "--search-id", required = true, description = "the search to report on")
    String searchId;

    @Option(names = "--out", required = true, description = "folder for index.html and its images (created; any Hadoop FileSystem path)")
    String dir;

    @Override
    int run(SparkSession spark, HistoryTable table, PrintWriter out) throws Exception {
        Outputs outputs = new Outputs(spark);
        out.println("report: " + outputs.write(outputs.folder(dir, table.path(), "reports", searchId),
                Report.of(table, searchId)::write));
        return 0;
    }
}
