package io.nasnet.cli;

import io.nasnet.controller.RandomSearch;
import io.nasnet.controller.Sample;
import io.nasnet.search.ZeroCostScan;
import io.nasnet.space.Encoding;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code zero-cost}: scores random cells at initialization, training none, as a Spark job. */
@Command(name = "zero-cost", mixinStandardHelpOptions = true,
        description = "Score random architectures at initialization (params, NASWOT, synflow, grad-norm) on the "
                + "executors, without training them; writes scores.csv and prints the scores' agreement.")
final class ZeroCostCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--random", required = true, description = "how many random architectures to score")
    int random;

    @Option(names = "--study", defaultValue = "zero-cost", description = "names the output folder (default: ${DEFAULT-VALUE})")
    String study;

    @Mixin
    StudyOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (random < 1) {
            throw new io.nasnet.config.ConfigException("--random must be at least 1, got " + random);
        }
        PrintWriter w = spec.commandLine().getOut();
        var c = options.load(List.of());
        SparkSession spark = Spark.session(c);
        List<Sample> drawn = new RandomSearch(new Encoding(c.blocks()), c.seed()).sample(random);
        long start = System.nanoTime();
        List<ZeroCostScan.Scored> scored = ZeroCostScan.run(spark, c.data(), c.child(),
                drawn.stream().map(Sample::genotype).toList());
        double wall = (System.nanoTime() - start) / 1e9;
        double[] seconds = scored.stream().mapToDouble(ZeroCostScan.Scored::seconds).toArray();
        String summary = String.format(Locale.ROOT, "scored %d architectures in %.1f s (median %.2f s each on an "
                        + "executor); Kendall tau with params: naswot %.2f, synflow %.2f, grad_norm %.2f", scored.size(), wall,
                new Median().evaluate(seconds), tau(scored, ZeroCostScan.Scored::naswot),
                tau(scored, ZeroCostScan.Scored::synflow), tau(scored, ZeroCostScan.Scored::gradNorm));
        output.write(w, spark, c, study, dir -> {
            Files.createDirectories(dir);
            StringBuilder csv = new StringBuilder("arch_id,params,naswot,synflow,grad_norm,seconds,genotype\n");
            for (ZeroCostScan.Scored s : scored) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.6g,%.6g,%.3f,\"%s\"%n", s.archId(), s.params(),
                        s.naswot(), s.synflow(), s.gradNorm(), s.seconds(), s.genotype()));
            }
            Files.writeString(dir.resolve("summary.txt"), summary + System.lineSeparator(), StandardCharsets.UTF_8);
            return Files.writeString(dir.resolve("scores.csv"), csv.toString(), StandardCharsets.UTF_8);
        }, "scores");
        w.println(summary);
        return 0;
    }

    private static double tau(List<ZeroCostScan.Scored> s, java.util.function.ToDoubleFunction<ZeroCostScan.Scored> f) {
        if (s.size() < 2) {
            return Double.NaN;
        }
        double[] x = s.stream().mapToDouble(f).toArray();
        double[] p = s.stream().mapToDouble(ZeroCostScan.Scored::params).toArray();
        return java.util.Arrays.stream(x).allMatch(Double::isFinite) ? new KendallsCorrelation().correlation(x, p)
                : Double.NaN;
    }
}
