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

    @Option(names = "--from-search", split = ",",
            description = "searches of the history table whose trained children (status OK, whole proxy) the "
                    + "surrogate is fitted on, each child's reward as the configuration's search.reward defines it")
    List<String> fromSearch = List.of();

    @Option(names = "--rows", description = "instead of --from-search: a CSV of real children with a header and the "
            + "columns arch_id, genotype, reward, child_seconds (as nasnet sql --format csv writes them)")
    String rows;

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

    @Option(names = "--peers", split = ",", defaultValue = "", description = "optimizers outside the project whose "
            + "curves a bridge wrote into --out's curves.csv (bench/optuna_peer.py writes optuna-tpe); the tables "
            + "take them beside the strategies")
    List<String> peers;

    @Option(names = "--report-only", description = "run nothing: table what curves.csv holds")
    boolean reportOnly;

    @Option(names = "--serve", description = "answer a bridge instead of running strategies: after the surrogate and "
            + "the noise levels (lines @slots, @noise, @ready), each input line 'CHILD_SEED SD D1,D2,...' (the "
            + "decisions, as the encoding orders them) gets '@r REWARD TRUE_VALUE ARCH_ID'")
    boolean serve;

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
        List<Surrogate.Sample> samples = rows != null ? fromCsv(spark, rows) : fromTable(spark, config);
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
        if (serve) {
            serve(surrogate, noises, w);
            return 0;
        }
        List<String> peerNames = peers.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        String describe = q.describe() + String.format(Locale.ROOT, "; %d children, %d a round", children, population);
        long limit = timeBudget == null ? Long.MAX_VALUE : CompareCommand.duration(timeBudget).toNanos();
        BenchmarkFiles.Continued run = BenchmarkFiles.continueIn(out, describe,
                new Benchmark(surrogate, population, children, threads), variants, noises,
                LongStream.rangeClosed(1, seeds).boxed().toList(),
                () -> reportOnly || System.nanoTime() - started > limit, line -> {
                    w.println(line);
                    w.flush();
                });
        List<Benchmark.Curve> curves = run.curves();
        boolean complete = run.complete();
        Path csv = out.resolve("curves.csv");
        List<String> names = new ArrayList<>(variants.stream().map(Benchmark.Variant::name).toList());
        for (String p : peerNames) {
            if (curves.stream().noneMatch(c -> c.variant().equals(p))) {
                throw new IllegalArgumentException("--peers " + p + ": " + csv + " holds no curve of it; run its bridge "
                        + "first (bench/optuna_peer.py for optuna-tpe)");
            }
            names.add(p);
        }
        BenchmarkFiles.write(out, q, noises, names, peerNames, budgets, curves,
                "nasnet " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        w.println("benchmark: " + out.resolve("benchmark.md") + (complete ? ""
                : reportOnly ? " (of the curves it holds; some strategies or noise levels have fewer seeds)"
                : " (stopped by its time budget; run the same command again to continue)"));
        return 0;
    }

    private List<Surrogate.Sample> fromTable(SparkSession spark, SearchConfig config) {
        if (fromSearch.isEmpty()) {
            throw new IllegalArgumentException("give the real children: --from-search SEARCH[,SEARCH...] or --rows CSV");
        }
        HistoryTable table = new HistoryTable(spark, config.historyPath());
        // each row's reward as the configuration defines it, whatever its search learned from
        RewardDefinition reward = config.child().reward();
        List<Surrogate.Sample> samples = new ArrayList<>();
        for (String id : fromSearch) {
            List<HistoryRecord> its = table.records(id);
            if (its.isEmpty()) {
                throw new IllegalArgumentException("--from-search " + id + ": the history table at "
                        + config.historyPath() + " holds no search " + id);
            }
            for (HistoryRecord h : its) {
                double r = reward.of(h.accuracy(), h.measures());
                if (h.status() == Status.OK && h.wholeProxy() && !Double.isNaN(r)) {
                    samples.add(new Surrogate.Sample(h.archId(), Genotype.parse(h.genotype()), r, h.childSeconds()));
                }
            }
        }
        return samples;
    }

    private static List<Surrogate.Sample> fromCsv(SparkSession spark, String csv) {
        List<String> need = List.of("arch_id", "genotype", "reward", "child_seconds");
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> d = spark.read().option("header", true)
                .option("multiLine", true).csv(csv);
        List<String> missing = need.stream().filter(c -> !List.of(d.columns()).contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--rows " + csv + ": no column " + String.join(", ", missing)
                    + " (it has " + String.join(", ", d.columns()) + ")");
        }
        List<Surrogate.Sample> out = new ArrayList<>();
        for (org.apache.spark.sql.Row r : d.select("arch_id", "genotype", "reward", "child_seconds").collectAsList()) {
            out.add(new Surrogate.Sample(r.getString(0), Genotype.parse(r.getString(1)),
                    Double.parseDouble(r.getString(2)), Double.parseDouble(r.getString(3))));
        }
        return out;
    }

    /** The bridge's side of {@link #serve}: one answer a line until the input ends. */
    private static void serve(Surrogate surrogate, List<Benchmark.Noise> noises, PrintWriter w) throws Exception {
        io.nasnet.space.Encoding space = new io.nasnet.space.Encoding(5);
        w.println("@slots " + String.join(" ", space.slots().stream().map(sl -> String.valueOf(sl.choices())).toList()));
        for (Benchmark.Noise n : noises) {
            w.printf(Locale.ROOT, "@noise %s %.17g %.6f%n", n.name(), n.sd(), n.share());
        }
        w.printf(Locale.ROOT, "@cost %.3f%n", surrogate.quality().childSeconds());
        w.println("@ready");
        w.flush();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) {
                w.println("@error expected 'CHILD_SEED SD D1,D2,...', got '" + line + "'");
                w.flush();
                continue;
            }
            int[] d = java.util.Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
            Genotype g = space.decode(d);
            w.printf(Locale.ROOT, "@r %.17g %.17g %s%n", surrogate.reward(g, Long.parseLong(f[0]), Double.parseDouble(f[1])),
                    surrogate.value(g), g.id());
            w.flush();
        }
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
