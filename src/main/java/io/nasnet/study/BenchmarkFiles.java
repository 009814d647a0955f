package io.nasnet.study;

import io.nasnet.report.Charts;
import io.nasnet.surrogate.Surrogate;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's files: {@code curves.csv} (every search's pick after every round: what a re-run
 * continues from), {@code benchmark.md} (the tables) and one chart per noise level against children
 * and against child-seconds.
 */
public final class BenchmarkFiles {

    static final String HEADER = "variant,noise,seed,children,child_seconds,true_value";

    private BenchmarkFiles() {
    }

    /** Every curve of a folder, and whether it holds every search asked for. */
    public record Continued(List<Benchmark.Curve> curves, boolean complete) {
    }

    /**
     * Runs, strategy by strategy and noise level by level, the seeds {@code dir}'s {@code curves.csv}
     * lacks, appending each block as it ends; a folder of another benchmark ({@code describe} differs
     * from its {@code surrogate.txt}) is refused. Before each block {@code stop} may end the run (a
     * time budget, or a report of what is there); {@code progress} hears of each block run.
     */
    public static Continued continueIn(Path dir, String describe, Benchmark bench, List<Benchmark.Variant> variants,
                                       List<Benchmark.Noise> noises, List<Long> seeds,
                                       java.util.function.BooleanSupplier stop,
                                       java.util.function.Consumer<String> progress) throws IOException {
        Files.createDirectories(dir);
        Path stamp = dir.resolve("surrogate.txt");
        if (Files.exists(stamp) && !Files.readString(stamp).equals(describe)) {
            throw new IllegalArgumentException(dir + " holds curves of another benchmark (" + Files.readString(stamp)
                    + "); give another --out or remove it");
        }
        Files.writeString(stamp, describe);
        Path csv = dir.resolve("curves.csv");
        List<Benchmark.Curve> curves = new ArrayList<>(read(csv));
        boolean complete = true;
        for (Benchmark.Noise n : noises) {
            for (Benchmark.Variant v : variants) {
                List<Long> done = curves.stream().filter(c -> c.variant().equals(v.name()) && c.noise().equals(n.name()))
                        .map(Benchmark.Curve::seed).toList();
                List<Long> todo = seeds.stream().filter(s -> !done.contains(s)).toList();
                if (todo.isEmpty()) {
                    continue;
                }
                if (stop.getAsBoolean()) {
                    complete = false;
                    continue;
                }
                long t0 = System.nanoTime();
                List<Benchmark.Curve> got = bench.run(List.of(v), List.of(n), todo);
                append(csv, got);
                curves.addAll(got);
                progress.accept(String.format(Locale.ROOT, "%s at noise %s: %d searches of %d children in %.1f s",
                        v.name(), n.name(), got.size(), got.get(0).children()[got.get(0).children().length - 1],
                        (System.nanoTime() - t0) / 1e9));
            }
        }
        return new Continued(curves, complete);
    }

    /** The curves a folder's {@code curves.csv} holds (none without one). */
    public static List<Benchmark.Curve> read(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(csv + " is not a benchmark's curves (its first line is not " + HEADER + ")");
        }
        Map<String, List<String[]>> bySearch = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length != 6) {
                throw new IOException(csv + " line " + (i + 1) + ": 6 fields expected, got " + f.length);
            }
            bySearch.computeIfAbsent(f[0] + "," + f[1] + "," + f[2], k -> new ArrayList<>()).add(f);
        }
        List<Benchmark.Curve> out = new ArrayList<>();
        for (List<String[]> rows : bySearch.values()) {
            int[] n = rows.stream().mapToInt(f -> Integer.parseInt(f[3])).toArray();
            double[] s = rows.stream().mapToDouble(f -> Double.parseDouble(f[4])).toArray();
            double[] t = rows.stream().mapToDouble(f -> Double.parseDouble(f[5])).toArray();
            String[] first = rows.get(0);
            out.add(new Benchmark.Curve(first[0], first[1], Long.parseLong(first[2]), n, s, t));
        }
        return out;
    }

    /** Appends {@code curves} to {@code csv}, writing its header first when it is new. */
    public static void append(Path csv, List<Benchmark.Curve> curves) throws IOException {
        StringBuilder b = new StringBuilder();
        if (!Files.exists(csv)) {
            b.append(HEADER).append('\n');
        }
        for (Benchmark.Curve c : curves) {
            for (int i = 0; i < c.children().length; i++) {
                b.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.6f%n", c.variant(), c.noise(), c.seed(),
                        c.children()[i], c.childSeconds()[i], c.trueValue()[i]));
            }
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, b.toString(), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** benchmark.md and the charts. */
    public static void write(Path dir, Surrogate.Quality quality, List<Benchmark.Noise> noises, List<String> variants,
                             List<String> peers, List<Integer> budgets, List<Benchmark.Curve> curves, String command)
            throws IOException {
        StringBuilder md = new StringBuilder("# Strategies on the benchmark\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Surrogate: ").append(quality.describe()).append(".\n\n");
        md.append("| noise | sd | architecture share |\n|---|---|---|\n");
        noises.forEach(n -> md.append(String.format(Locale.ROOT, "| %s | %.4f | %.3f |%n", n.name(), n.sd(), n.share())));
        int last = budgets.get(budgets.size() - 1);
        for (Benchmark.Noise n : noises) {
            md.append("\n## Noise ").append(n.name()).append(String.format(Locale.ROOT,
                    " (architecture share %.3f)%n%n", n.share()));
            md.append("Mean true value of each search's pick after N children; against random search: seeds won of "
                    + "seeds (ties half), Wilcoxon signed-rank p (paired by seed). Last column: the fewest children "
                    + "after which the mean reaches random search's at " + last + ".\n\n");
            md.append("| strategy |");
            budgets.forEach(b -> md.append(" ").append(b).append(" |"));
            md.append(" reaches random's ").append(last).append(" at |\n|---|");
            budgets.forEach(b -> md.append("---|"));
            md.append("---|\n");
            for (String v : variants) {
                md.append("| ").append(v).append(" |");
                for (int b : budgets) {
                    Benchmark.Paired p = Benchmark.paired(curves, v, "random", n.name(), b);
                    md.append(v.equals("random") ? String.format(Locale.ROOT, " %.4f |", p.mean())
                            : String.format(Locale.ROOT, " %.4f (%s/%d, p %s) |", p.mean(), half(p.wins()), p.seeds(),
                            pValue(p.p())));
                }
                int reach = Benchmark.childrenToReach(curves, v, "random", n.name());
                md.append(" ").append(reach < 0 ? "not within " + last : String.valueOf(reach)).append(" |\n");
            }
            int half = last / 2;
            md.append("\nWith half the children: each strategy's pick after ").append(half)
                    .append(" children against random search's after ").append(last).append(" (paired by seed).\n\n")
                    .append("| strategy | mean at ").append(half).append(" | random at ").append(last)
                    .append(" | seeds won | p |\n|---|---|---|---|---|\n");
            for (String v : variants) {
                if (v.equals("random")) {
                    continue;
                }
                Benchmark.Paired p = Benchmark.paired(curves, v, half, "random", last, n.name());
                md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s/%d | %s |%n", v, p.mean(), p.baseline(),
                        half(p.wins()), p.seeds(), pValue(p.p())));
            }
            for (String peer : peers) {
                md.append("\nAgainst the peer ").append(peer).append(" after ").append(last)
                        .append(" children, on the seeds it ran (paired by seed).\n\n| strategy | mean | ").append(peer)
                        .append(" | seeds won | p |\n|---|---|---|---|---|\n");
                for (String v : variants) {
                    if (peers.contains(v)) {
                        continue;
                    }
                    Benchmark.Paired p = Benchmark.paired(curves, v, peer, n.name(), last);
                    if (p.seeds() > 0) {
                        md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s/%d | %s |%n", v, p.mean(),
                                p.baseline(), half(p.wins()), p.seeds(), pValue(p.p())));
                    }
                }
            }
            md.append(power(curves, n, variants, peers, budgets, quality.childSeconds()));
            Map<String, double[][]> byChildren = new LinkedHashMap<>();
            Map<String, double[][]> bySeconds = new LinkedHashMap<>();
            for (String v : variants) {
                List<Benchmark.Curve> its = Benchmark.of(curves, v, n.name());
                if (!its.isEmpty()) {
                    byChildren.put(v, band(its, false));
                    bySeconds.put(v, band(its, true));
                }
            }
            String file = "benchmark-" + n.name();
            Charts.curves("True value of the pick, noise " + n.name(), "children", "true value (mean, quartiles)", "mean",
                    byChildren, dir.resolve(file + ".png"));
            Charts.curves("True value of the pick, noise " + n.name(), "child-seconds", "true value (mean, quartiles)",
                    "mean", bySeconds, dir.resolve(file + "-seconds.png"));
            md.append("\n![").append(n.name()).append("](").append(file).append(".png)\n");
        }
        md.append("\n## Where each strategy beats random search\n\nThe noise levels, most architecture first, at ")
                .append(last).append(" children: a strategy beats random search at a level when its mean true value "
                        + "is higher with p < 0.05; it starts to beat it at the lowest share of an unbroken run from "
                        + "the top (levels where it did not run are passed over).\n\n| strategy | beats random down to share |\n|---|---|\n");
        List<Benchmark.Noise> ordered = new ArrayList<>(noises);
        ordered.sort((a, b) -> Double.compare(b.share(), a.share()));
        for (String v : variants) {
            if (v.equals("random")) {
                continue;
            }
            String down = "not run";
            for (Benchmark.Noise n : ordered) {
                Benchmark.Paired p = Benchmark.paired(curves, v, "random", n.name(), last);
                if (p.seeds() == 0) {
                    continue; // not run at this level
                }
                if (down.equals("not run")) {
                    down = "never";
                }
                if (p.mean() > p.baseline() && p.p() < 0.05) {
                    down = String.format(Locale.ROOT, "%.3f (%s)", n.share(), n.name());
                } else {
                    break;
                }
            }
            md.append("| ").append(v).append(" | ").append(down).append(" |\n");
        }
        Files.writeString(dir.resolve("benchmark.md"), md.toString());
    }

    /** Seeds a real study pairs, as the power table offers them. */
    static final int[] STUDY_SEEDS = {10, 20};

    /**
     * The power table that sizes a real study at one noise level: for each strategy and budget, the
     * chance that 10 and 20 paired seeds, each pick re-evaluated with 3 seeds, find it better than
     * random search with p < 0.05; then the cheapest size that reaches 0.8.
     */
    static String power(List<Benchmark.Curve> curves, Benchmark.Noise n, List<String> variants, List<String> peers,
                        List<Integer> budgets, double childSeconds) {
        StringBuilder md = new StringBuilder("\nSizing a study on real children: the power of ")
                .append(STUDY_SEEDS[0]).append(" and ").append(STUDY_SEEDS[1]).append(" paired seeds (each search's pick "
                        + "re-evaluated with 3 fresh seeds) to find the strategy better than random search at "
                        + "p < 0.05, from 1,000 simulated studies drawing on these searches.\n\n| strategy |");
        budgets.forEach(b -> md.append(" ").append(b).append(" |"));
        md.append("\n|---|");
        budgets.forEach(b -> md.append("---|"));
        md.append("\n");
        String cheapest = null;
        double cheapestCost = Double.POSITIVE_INFINITY;
        for (String v : variants) {
            if (v.equals("random") || peers.contains(v) || Benchmark.of(curves, v, n.name()).isEmpty()) {
                continue;
            }
            md.append("| ").append(v).append(" |");
            for (int b : budgets) {
                md.append(" ");
                for (int k = 0; k < STUDY_SEEDS.length; k++) {
                    double p = Benchmark.power(curves, v, "random", n, b, STUDY_SEEDS[k], 3, 1000, 42);
                    md.append(k > 0 ? " / " : "").append(String.format(Locale.ROOT, "%.2f", p));
                    double cost = 2.0 * STUDY_SEEDS[k] * b * childSeconds;
                    if (p >= 0.8 && cost < cheapestCost) {
                        cheapestCost = cost;
                        cheapest = String.format(Locale.ROOT, "%s against random search, %d seeds of %d children "
                                + "(power %.2f): %,.0f child-seconds", v, STUDY_SEEDS[k], b, p, cost);
                    }
                }
                md.append(" |");
            }
            md.append("\n");
        }
        md.append("\nThe cheapest study with power 0.8: ").append(cheapest == null ? "none in the table" : cheapest)
                .append(".\n");
        return md.toString();
    }

    /** {x, mean, 25th, 75th percentile} over the curves, by round. */
    private static double[][] band(List<Benchmark.Curve> curves, boolean seconds) {
        int rounds = curves.get(0).children().length;
        double[][] out = new double[4][rounds];
        for (int r = 0; r < rounds; r++) {
            int at = r;
            DescriptiveStatistics s = new DescriptiveStatistics(curves.stream().mapToDouble(c -> c.trueValue()[at]).toArray());
            out[0][r] = seconds ? curves.stream().mapToDouble(c -> c.childSeconds()[at]).average().orElseThrow()
                    : curves.get(0).children()[r];
            out[1][r] = s.getMean();
            out[2][r] = s.getPercentile(25);
            out[3][r] = s.getPercentile(75);
        }
        return out;
    }

    private static String half(double wins) {
        return wins == Math.rint(wins) ? String.valueOf((long) wins) : String.format(Locale.ROOT, "%.1f", wins);
    }

    private static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
