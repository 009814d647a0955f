package io.nasnet.cli;

import io.nasnet.child.RewardDefinition;
import io.nasnet.child.Status;
import io.nasnet.controller.Strategies;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.search.SearchConfig;
import io.nasnet.space.Genotype;
import io.nasnet.study.Benchmark;
import io.nasnet.study.BenchmarkFiles;
import io.nasnet.surrogate.Surrogate;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

/** {@code benchmark}: every strategy, many seeds, against a surrogate of the table's real children. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Fit a surrogate on real children of the history table, then run every strategy against it "
                + "(in memory, no training) over many seeds at several noise levels: curves of the true value of "
                + "each search's pick, paired tests against random search. Resumable: a re-run continues the curves.")
final class BenchmarkCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--from-search", required = true, split = ",",
            description = "searches whose trained children (status OK, whole proxy) the surrogate is fitted on")
    List<String> fromSearch;

    @Option(names = "--min-rows", defaultValue = "100", description = "real children the surrogate needs (default: ${DEFAULT-VALUE})")
    int minRows;

    @Option(names = "--min-tau", defaultValue = "0.5", description = "the surrogate's held-out Kendall tau it needs (default: ${DEFAULT-VALUE})")
    double minTau;

    @Option(names = "--strategies", split = ",", defaultValue = "random,ppo,ppo-paper,reinforce,evolution",
            description = "strategies; -paper takes the controller's paper preset (default: ${DEFAULT-VALUE})")
    List<String> strategies;

    @Option(names = "--noise", split = ",", defaultValue = "none,proxy,share:0.06",
            description = "noise levels: none, proxy (the seed noise measured in the rows), share:S (the noise that "
                    + "leaves the architecture a share S of a reward), sd:X (default: ${DEFAULT-VALUE})")
    List<String> noise;

    @Option(names = "--seeds", defaultValue = "100", description = "searches per strategy and noise level (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--children", defaultValue = "1000", description = "children each search samples (default: ${DEFAULT-VALUE})")
    int children;

    @Option(names = "--population", defaultValue = "10", description = "children a round (default: ${DEFAULT-VALUE})")
    int population;

    @Option(names = "--budgets", split = ",", defaultValue = "50,100,200,500,1000",
            description = "children at which the tables compare (default: ${DEFAULT-VALUE})")
    List<Integer> budgets;

    @Option(names = "--threads", defaultValue = "2", description = "searches at a time (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--time-budget", description = "stop after the strategy and noise level that ends past this long; "
            + "run it again to continue")
    String timeBudget;

    @Option(names = "--out", defaultValue = "work/studies/benchmark", description = "folder of the curves, tables "
            + "and charts (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        long started = System.nanoTime();
        SearchConfig config = options.load(List.of());
        SparkSession spark = Spark.session(config);
        HistoryTable table = new HistoryTable(spark, config.historyPath());
        // each row's reward as the configuration defines it, whatever its search learned from
        RewardDefinition reward = config.child().reward();
        List<Surrogate.Sample> samples = new ArrayList<>();
        for (String id : fromSearch) {
            List<HistoryRecord> rows = table.records(id);
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("--from-search " + id + ": the history table at "
                        + config.historyPath() + " holds no search " + id);
            }
            for (HistoryRecord h : rows) {
                double r = reward.of(h.accuracy(), h.measures());
                if (h.status() == Status.OK && h.wholeProxy() && !Double.isNaN(r)) {
                    samples.add(new Surrogate.Sample(h.archId(), Genotype.parse(h.genotype()), r, h.childSeconds()));
                }
            }
        }
        Surrogate surrogate = Surrogate.fit(spark, samples, minRows, minTau, config.seed());
        Surrogate.Quality q = surrogate.quality();
        w.println("surrogate: " + q.describe());
        List<Benchmark.Noise> noises = noise.stream().map(n -> noise(n.trim(), q)).toList();
        List<Benchmark.Variant> variants = strategies.stream().map(s -> variant(s.trim())).toList();
        if (variants.stream().noneMatch(v -> v.name().equals("random"))) {
            throw new IllegalArgumentException("--strategies: random search is the baseline every table compares with; "
                    + "list it");
        }
        if (budgets.stream().anyMatch(b -> b > children)) {
            throw new IllegalArgumentException("--budgets: every budget at most --children = " + children);
        }
        Files.createDirectories(out);
        Path stamp = out.resolve("surrogate.txt");
        String describe = q.describe() + String.format(Locale.ROOT, "; %d children, %d a round", children, population);
        if (Files.exists(stamp) && !Files.readString(stamp).equals(describe)) {
            throw new IllegalArgumentException(out + " holds curves of another benchmark (" + Files.readString(stamp)
                    + "); give another --out or remove it");
        }
        Files.writeString(stamp, describe);
        Path csv = out.resolve("curves.csv");
        List<Benchmark.Curve> curves = new ArrayList<>(BenchmarkFiles.read(csv));
        Benchmark bench = new Benchmark(surrogate, population, children, threads);
        List<Long> all = LongStream.rangeClosed(1, seeds).boxed().toList();
        long limit = timeBudget == null ? Long.MAX_VALUE : CompareCommand.duration(timeBudget).toNanos();
        boolean complete = true;
        for (Benchmark.Noise n : noises) {
            for (Benchmark.Variant v : variants) {
                List<Long> done = curves.stream().filter(c -> c.variant().equals(v.name()) && c.noise().equals(n.name()))
                        .map(Benchmark.Curve::seed).toList();
                List<Long> todo = all.stream().filter(s -> !done.contains(s)).toList();
                if (todo.isEmpty()) {
                    continue;
                }
                if (System.nanoTime() - started > limit) {
                    complete = false;
                    continue;
                }
                long t0 = System.nanoTime();
                List<Benchmark.Curve> got = bench.run(List.of(v), List.of(n), todo);
                BenchmarkFiles.append(csv, got);
                curves.addAll(got);
                w.printf(Locale.ROOT, "%s at noise %s: %d searches of %d children in %.1f s%n", v.name(), n.name(),
                        got.size(), children, (System.nanoTime() - t0) / 1e9);
                w.flush();
            }
        }
        BenchmarkFiles.write(out, q, noises, variants.stream().map(Benchmark.Variant::name).toList(), budgets, curves,
                "nasnet benchmark " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        w.println("benchmark: " + out.resolve("benchmark.md") + (complete ? ""
                : " (stopped by its time budget; run the same command again to continue)"));
        return 0;
    }

    private Benchmark.Noise noise(String n, Surrogate.Quality q) {
        if (n.equals("none")) {
            return new Benchmark.Noise("none", 0, 1);
        }
        if (n.equals("proxy")) {
            if (Double.isNaN(q.seedSd())) {
                throw new IllegalArgumentException("--noise proxy: the rows hold no architecture trained with several "
                        + "seeds, so their seed noise is not measured; add such rows or give share:S or sd:X");
            }
            return new Benchmark.Noise("proxy", q.seedSd(), q.share(q.seedSd()));
        }
        try {
            if (n.startsWith("share:")) {
                double share = Double.parseDouble(n.substring(6));
                return Benchmark.noise("share-" + n.substring(6), q, share);
            }
            if (n.startsWith("sd:")) {
                double sd = Double.parseDouble(n.substring(3));
                return new Benchmark.Noise("sd-" + n.substring(3), sd, q.share(sd));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--noise " + n + ": not a number after the colon", e);
        }
        throw new IllegalArgumentException("--noise " + n + ": not none, proxy, share:S or sd:X");
    }

    private Benchmark.Variant variant(String name) {
        boolean paper = name.endsWith("-paper");
        String strategy = Strategies.canonical(paper ? name.substring(0, name.length() - 6) : name);
        Strategies.Settings settings = options.load(paper ? List.of("controller.preset=paper") : List.of()).strategies();
        return new Benchmark.Variant(name, strategy, settings);
    }
}
