package io.nasnet.cli;

import io.nasnet.search.TrainerFactory;
import io.nasnet.study.FidelityFiles;
import io.nasnet.study.ProxyFidelity;
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

/** {@code fidelity}: how well the proxy reward ranks architectures as a final-like training does. */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = "Evaluate architectures of a search at proxy budgets and at a final-like budget; rank correlations.")
final class FidelityCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--study", defaultValue = "fidelity", description = "names the study's rows (default: ${DEFAULT-VALUE})")
    String study;

    @Option(names = "--from-search", required = true, description = "search whose architectures are spread over its rewards")
    String fromSearch;

    @Option(names = "--architectures", defaultValue = "8", description = "from the search, at evenly spaced reward ranks (default: ${DEFAULT-VALUE})")
    int architectures;

    @Option(names = "--random", defaultValue = "2", description = "random architectures added, besides NASNet-A (default: ${DEFAULT-VALUE})")
    int random;

    @Option(names = "--proxy", description = "another proxy to measure, as child.*/data.train-limit overrides: "
            + "\"child.epochs=2,data.train-limit=4000\" (repeatable; the configuration's child budget always is one)")
    List<String> proxies = new ArrayList<>();

    @Option(names = "--final", defaultValue = "", description = "the final-like budget, as train.*/data.* overrides: "
            + "\"train.epochs=3,train.f=16,data.train-limit=0\" (default: the configuration's train.*)")
    String finalBudget;

    @Mixin
    StudyOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        var base = options.load(List.of());
        SparkSession spark = Spark.session(base);
        ProxyFidelity f = new ProxyFidelity(spark, options::load, TrainerFactory.dl4j(), study);
        List<ProxyFidelity.Proxy> ps = new ArrayList<>(List.of(new ProxyFidelity.Proxy(List.of())));
        proxies.forEach(p -> ps.add(ProxyFidelity.Proxy.parse(p)));
        List<ProxyFidelity.Arch> archs = f.pick(fromSearch, architectures, random, base.seed());
        ProxyFidelity.Result r = f.run(archs, ps, ProxyFidelity.overrides(finalBudget));
        output.write(w, spark, base, study, dir -> FidelityFiles.write(r, dir), "scatter plot, CSV and table");
        return 0;
    }
}
