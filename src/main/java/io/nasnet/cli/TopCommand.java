package io.nasnet.cli;

import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

import static org.apache.spark.sql.functions.col;

/** {@code top --search-id ID -k 10}: the best architectures of a search. */
@Command(name = "top", mixinStandardHelpOptions = true, description = "The best architectures of a search.")
final class TopCommand extends HistoryCommand {

    @Option(names = "--search-id", required = true, description = "the search")
    String searchId;

    @Option(names = "-k", description = "how many (default: 10)")
    int k = 10;

    @Option(names = "--format", description = "table, csv or json (default: table)")
    TableOutput.Format format = TableOutput.Format.TABLE;

    @Override
    int run(SparkSession spark, HistoryTable table, PrintWriter out) {
        requireSearch(table, searchId);
        TableOutput.print(spark.table("nas_best").where(col("search_id").equalTo(searchId))
                .orderBy(col("reward").desc(), col("round"), col("child_index"))
                .select("arch_id", "reward", "params", "mult_adds", "round", "child_index", "genotype")
                .limit(k), format, out);
        return 0;
    }
}
