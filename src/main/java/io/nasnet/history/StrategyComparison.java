package io.nasnet.history;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Strategies compared at equal budget over several seeds, from the history table with Spark SQL:
 * the paper's Figure 6 and the check its critics ask for. A search's budget is counted in children
 * sampled (reused results included, as the paper counts models sampled), in the order the search
 * sampled them; failed children count, with reward 0.
 *
 * @param curves   per strategy, the best reward so far after each number of children, over its seeds
 *                 (up to the number of children every one of its searches has reached)
 * @param searches per search, the figures at its end
 */
public record StrategyComparison(List<Curve> curves, List<SearchEnd> searches) {

    /** A search in a comparison: its id, its strategy and the seed it ran with (pairs searches across strategies). */
    public record Entry(String searchId, String strategy, long seed) {
    }

    /** Best so far after {@code children[i]} children: mean, lowest and highest over {@code seeds} searches. */
    public record Curve(String strategy, int seeds, int[] children, double[] mean, double[] min, double[] max) {
    }

    /** A search's end: children sampled, its best reward, the mean of its 5 and 25 best distinct architectures. */
    public record SearchEnd(String searchId, String strategy, long seed, int children, double best, double top5,
                            double top25) {
    }

    /** One strategy's end figures over its seeds. */
    public record Summary(String strategy, int seeds, int children, Spread best, Spread top5, Spread top25) {
    }

    /** Median, mean, lowest and highest of a figure over seeds. */
    public record Spread(double median, double mean, double min, double max) {
        static Spread of(List<Double> xs) {
            DescriptiveStatistics s = new DescriptiveStatistics(xs.stream().mapToDouble(Double::doubleValue).toArray());
            return new Spread(s.getPercentile(50), s.getMean(), s.getMin(), s.getMax());
        }
    }

    /** Two strategies' searches of the same seed side by side: the second's figure minus the first's. */
    public record Pair(long seed, String first, String second, double bestDifference, double top5Difference,
                       double top25Difference) {
    }

    /**
     * The comparison of the given searches of {@code table}, each cut at its first {@code children}
     * children (0: all it has).
     */
    public static StrategyComparison of(HistoryTable table, List<Entry> entries, int children) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no searches to compare");
        }
        SparkSession spark = table.all().sparkSession();
        table.all().createOrReplaceTempView("nas_compare_history");
        String ids = entries.stream().map(e -> "'" + e.searchId().replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
        spark.sql("""
                SELECT * FROM (
                  SELECT search_id, arch_id, reward,
                         row_number() OVER (PARTITION BY search_id ORDER BY round, child_index) AS n
                  FROM nas_compare_history WHERE search_id IN (%s))
                WHERE %s""".formatted(ids, children > 0 ? "n <= " + children : "true"))
                .createOrReplaceTempView("nas_compare_children");

        // best so far after n children, per search
        List<Row> steps = spark.sql("""
                SELECT search_id, n, max(reward) OVER (PARTITION BY search_id ORDER BY n) AS best
                FROM nas_compare_children ORDER BY search_id, n""").collectAsList();
        Map<String, List<Double>> bestSoFar = new LinkedHashMap<>();
        for (Row r : steps) {
            bestSoFar.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getDouble(2));
        }
        // the mean of the k best distinct architectures, per search
        List<Row> tops = spark.sql("""
                SELECT search_id, avg(reward) FILTER (WHERE rank <= 5) AS top5,
                       avg(reward) FILTER (WHERE rank <= 25) AS top25
                FROM (SELECT search_id, reward,
                             row_number() OVER (PARTITION BY search_id ORDER BY reward DESC, arch_id) AS rank
                      FROM (SELECT search_id, arch_id, max(reward) AS reward
                            FROM nas_compare_children GROUP BY search_id, arch_id))
                GROUP BY search_id""").collectAsList();
        Map<String, double[]> top = new TreeMap<>();
        for (Row r : tops) {
            top.put(r.getString(0), new double[]{r.getDouble(1), r.getDouble(2)});
        }

        List<SearchEnd> ends = new ArrayList<>();
        for (Entry e : entries) {
            List<Double> b = bestSoFar.get(e.searchId());
            if (b == null) {
                continue;
            }
            double[] t = top.get(e.searchId());
            ends.add(new SearchEnd(e.searchId(), e.strategy(), e.seed(), b.size(), b.get(b.size() - 1), t[0], t[1]));
        }
        Map<String, List<List<Double>>> byStrategy = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (bestSoFar.containsKey(e.searchId())) {
                byStrategy.computeIfAbsent(e.strategy(), k -> new ArrayList<>()).add(bestSoFar.get(e.searchId()));
            }
        }
        List<Curve> curves = new ArrayList<>();
        byStrategy.forEach((strategy, runs) -> curves.add(curve(strategy, runs)));
        return new StrategyComparison(List.copyOf(curves), List.copyOf(ends));
    }

    private static Curve curve(String strategy, List<List<Double>> runs) {
        int length = runs.stream().mapToInt(List::size).min().orElse(0);
        int[] n = new int[length];
        double[] mean = new double[length];
        double[] min = new double[length];
        double[] max = new double[length];
        for (int i = 0; i < length; i++) {
            int at = i;
            n[i] = i + 1;
            mean[i] = runs.stream().mapToDouble(r -> r.get(at)).average().orElseThrow();
            min[i] = runs.stream().mapToDouble(r -> r.get(at)).min().orElseThrow();
            max[i] = runs.stream().mapToDouble(r -> r.get(at)).max().orElseThrow();
        }
        return new Curve(strategy, runs.size(), n, mean, min, max);
    }

    /** Per strategy, in the order of the curves. */
    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (Curve c : curves) {
            List<SearchEnd> s = searches.stream().filter(e -> e.strategy().equals(c.strategy())).toList();
            out.add(new Summary(c.strategy(), s.size(), s.stream().mapToInt(SearchEnd::children).min().orElse(0),
                    Spread.of(s.stream().map(SearchEnd::best).toList()),
                    Spread.of(s.stream().map(SearchEnd::top5).toList()),
                    Spread.of(s.stream().map(SearchEnd::top25).toList())));
        }
        return out;
    }

    /** Searches of {@code first} and {@code second} that ran with the same seed, by seed. */
    public List<Pair> paired(String first, String second) {
        List<Pair> out = new ArrayList<>();
        for (SearchEnd a : searches) {
            if (!a.strategy().equals(first)) {
                continue;
            }
            Optional<SearchEnd> b = searches.stream()
                    .filter(e -> e.strategy().equals(second) && e.seed() == a.seed()).findFirst();
            b.ifPresent(s -> out.add(new Pair(a.seed(), first, second, s.best() - a.best(), s.top5() - a.top5(),
                    s.top25() - a.top25())));
        }
        out.sort(Comparator.comparingLong(Pair::seed));
        return out;
    }

    /** The curves as CSV: strategy, children, seeds, mean, min, max of the best so far. */
    public String curvesCsv() {
        StringBuilder s = new StringBuilder("strategy,children,seeds,best_mean,best_min,best_max\n");
        for (Curve c : curves) {
            for (int i = 0; i < c.children().length; i++) {
                s.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f%n", c.strategy(), c.children()[i],
                        c.seeds(), c.mean()[i], c.min()[i], c.max()[i]));
            }
        }
        return s.toString();
    }

    /** The end figures per strategy and the paired differences per seed, as markdown tables. */
    public String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("| strategy | seeds | children | best: median (min-max) | mean of top 5 | mean of top 25 |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Summary m : summaries()) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |%n", m.strategy(), m.seeds(),
                    m.children(), spread(m.best()), spread(m.top5()), spread(m.top25())));
        }
        List<String> strategies = curves.stream().map(Curve::strategy).toList();
        String base = strategies.contains("random") ? "random" : strategies.get(0);
        for (String other : strategies) {
            List<Pair> pairs = other.equals(base) ? List.of() : paired(base, other);
            if (pairs.isEmpty()) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "%n%s minus %s, same seed:%n%n", other, base));
            s.append("| seed | best | mean of top 5 | mean of top 25 |\n|---|---|---|---|\n");
            for (Pair p : pairs) {
                s.append(String.format(Locale.ROOT, "| %d | %+.4f | %+.4f | %+.4f |%n", p.seed(),
                        p.bestDifference(), p.top5Difference(), p.top25Difference()));
            }
            long wins = pairs.stream().filter(p -> p.bestDifference() > 0).count();
            long ties = pairs.stream().filter(p -> p.bestDifference() == 0).count();
            s.append(String.format(Locale.ROOT, "%n%s found the better best architecture in %d of %d seeds (%d tied).%n",
                    other, wins, pairs.size(), ties));
        }
        return s.toString();
    }

    private static String spread(Spread s) {
        return String.format(Locale.ROOT, "%.4f (%.4f-%.4f)", s.median(), s.min(), s.max());
    }
}
