package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import io.nasnet.search.SearchCheck;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code check --search-id ID}: a search's table and checkpoint checked against each other; exit 1 on a problem. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a search's history table, checkpoint and lease against each other; exit 1 on any problem.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--search-id", required = true, description = "the search (nasnet.search.id)")
    String searchId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> sets = new ArrayList<>();
        ConfigOptions.set(sets, "search.id", searchId);
        SearchConfig config = options.load(sets);
        SparkSession spark = Spark.session(config.appName() + " check", config.sparkMaster());
        SearchCheck.Diagnosis d = SearchCheck.run(spark, config);
        PrintWriter out = spec.commandLine().getOut();
        out.print(d.describe());
        out.flush();
        return d.ok() ? 0 : 1;
    }
}
