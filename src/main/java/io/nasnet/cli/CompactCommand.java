package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryCatalog;
import io.nasnet.history.HistoryTable;
import io.nasnet.search.Compaction;
import io.nasnet.search.TableHistory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code compact}: searches' round files rewritten into few files; exit 1 when a search was refused. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Rewrite searches' round files of the history table into few files (every search unless "
                + "--search-id is given); a search a driver is running is refused, naming it. Converts a table "
                + "of release 0.1's layout (round folders). Exit 1 when a search was refused.")
final class CompactCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--search-id", description = "a search to compact (repeatable; default: every search)")
    List<String> searchIds = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SearchConfig config = options.load(new ArrayList<>());
        SparkSession spark = Spark.session(config.appName() + " compact", config);
        Compaction.Outcome o = Compaction.run(spark, config, searchIds, Clock.systemUTC());
        HistoryCatalog catalog = o.done().isEmpty() ? null : TableHistory.openCatalog(spark, config);
        if (catalog != null) {
            HistoryTable table = new HistoryTable(spark, config.historyPath());
            o.done().forEach(c -> catalog.refresh(table, c.searchId()));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (HistoryTable.Compaction c : o.done()) {
            out.printf("search %s: %d file(s) -> %d%s%n", c.searchId(), c.filesBefore(), c.filesAfter(),
                    c.rows() < 0 ? " (already compact)" : ", " + c.rows() + " rows");
        }
        o.refused().forEach(r -> out.println("refused: " + r));
        out.flush();
        return o.refused().isEmpty() ? 0 : 1;
    }
}
