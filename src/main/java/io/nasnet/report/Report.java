package io.nasnet.report;

import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.RoundStats;
import io.nasnet.history.StrategyComparison;
import io.nasnet.space.Block;
import io.nasnet.space.CellType;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

/**
 * A search as a page people look at: reward per round, the strategy against the other strategies
 * run on the same table, the ops the controller comes to prefer, and the best cells drawn. One
 * folder, no network: {@code index.html} next to its PNG charts, SVG cells and DOT files.
 */
public final class Report {

    /** Architectures listed in the page's table. */
    private static final int TOP = 10;

    private final String searchId;
    private final List<HistoryRecord> records;
    private final List<RoundStats> rounds;
    private final Map<String, List<RoundStats>> others;
    private final StrategyComparison comparison;

    /**
     * @param records the search's rows (at least one)
     * @param rounds  its rounds, ascending
     * @param others  the rounds of other searches to compare with at equal budget (e.g. random search),
     *                by the label their curve gets
     */
    public Report(String searchId, List<HistoryRecord> records, List<RoundStats> rounds,
                  Map<String, List<RoundStats>> others) {
        this(searchId, records, rounds, others, null);
    }

    /** @param comparison the strategies over seeds at this search's budget, or null: none to draw */
    private Report(String searchId, List<HistoryRecord> records, List<RoundStats> rounds,
                   Map<String, List<RoundStats>> others, StrategyComparison comparison) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no rows of search '" + searchId + "' to report");
        }
        this.searchId = searchId;
        this.records = List.copyOf(records);
        this.rounds = List.copyOf(rounds);
        this.others = new TreeMap<>(others);
        this.comparison = comparison;
    }

    /**
     * The report of one search of a table, compared with the table's searches that ran another
     * strategy (a random-search baseline next to a PPO search, say). Round figures come from the
     * {@code nas_rounds} view.
     */
    public static Report of(HistoryTable table, String searchId) {
        List<HistoryRecord> records = table.records(searchId);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no search '" + searchId + "' in the history table at " + table.path());
        }
        String strategy = records.get(0).strategy();
        Map<String, String> strategies = table.strategies();
        Map<String, List<RoundStats>> bySearch = table.roundStats();
        Map<String, List<RoundStats>> others = new TreeMap<>();
        Map<String, String> comparable = table.searchesAt(records.get(0).budget());
        bySearch.forEach((id, rs) -> {
            if (comparable.containsKey(id) && !strategies.get(id).equals(strategy)) {
                others.put(label(id, strategies.get(id)), rs);
            }
        });
        // the chart over seeds only when at least two strategies each have two searches at this budget
        Map<String, Long> searchesPerStrategy = comparable.values().stream()
                .collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        StrategyComparison c = searchesPerStrategy.values().stream().filter(n -> n >= 2).count() < 2 ? null
                : StrategyComparison.of(table, comparable.entrySet().stream()
                        .map(e -> new StrategyComparison.Entry(e.getKey(), e.getValue(), 0)).toList(), 0);
        return new Report(searchId, records, bySearch.get(searchId), others, c);
    }

    /** Writes the page and its files into {@code dir} (created if needed); returns the page. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Charts.rewards(rounds, dir.resolve("reward.png"));
        if (comparison != null) {
            Charts.comparison(comparison, dir.resolve("comparison.png"));
        } else if (!others.isEmpty()) {
            Map<String, double[][]> curves = new LinkedHashMap<>();
            curves.put(label(searchId, records.get(0).strategy()), RoundStats.bestSoFarByChildren(rounds));
            others.forEach((label, rs) -> curves.put(label, RoundStats.bestSoFarByChildren(rs)));
            Charts.bestSoFar(curves, dir.resolve("strategies.png"));
        }
        List<Integer> roundNumbers = rounds.stream().map(RoundStats::round).toList();
        for (CellType type : CellType.values()) {
            Charts.opShares("Ops chosen in " + type + " cells", roundNumbers, opShares(type, roundNumbers),
                    dir.resolve("ops-" + type.token() + ".png"));
        }
        Optional<HistoryRecord> best = HistoryRecord.best(records);
        if (best.isPresent()) {
            writeDiagrams(Genotype.parse(best.get().genotype()), dir);
        }
        Path index = dir.resolve("index.html");
        Files.writeString(index, html(best), StandardCharsets.UTF_8);
        return index;
    }

    /** Writes {@code normal.svg}, {@code reduction.svg} and their {@code .dot} files for one genotype. */
    public static List<Path> writeDiagrams(Genotype genotype, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (CellType type : CellType.values()) {
            CellDiagram d = CellDiagram.of(genotype.cell(type));
            written.add(Files.writeString(dir.resolve(type.token() + ".svg"), d.svg(), StandardCharsets.UTF_8));
            written.add(Files.writeString(dir.resolve(type.token() + ".dot"), d.dot(), StandardCharsets.UTF_8));
        }
        return written;
    }

    /** Per op, its share of the 2B op choices of this cell type in each round, over every sampled child. */
    Map<Op, double[]> opShares(CellType type, List<Integer> rounds) {
        Map<Op, double[]> counts = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            counts.put(op, new double[rounds.size()]);
        }
        double[] totals = new double[rounds.size()];
        for (HistoryRecord r : records) {
            int i = rounds.indexOf(r.round());
            for (Block b : Genotype.parse(r.genotype()).cell(type).blocks()) {
                counts.get(b.op1())[i]++;
                counts.get(b.op2())[i]++;
                totals[i] += 2;
            }
        }
        for (double[] c : counts.values()) {
            for (int i = 0; i < c.length; i++) {
                c[i] = totals[i] == 0 ? 0 : c[i] / totals[i];
            }
        }
        return counts;
    }

    private static String label(String id, String strategy) {
        return id + " (" + strategy + ")";
    }

    private String html(Optional<HistoryRecord> best) {
        HistoryRecord first = records.get(0);
        StringBuilder facts = new StringBuilder();
        fact(facts, String.valueOf(rounds.size()), "rounds");
        fact(facts, String.valueOf(records.size()), "children sampled");
        fact(facts, String.valueOf(rounds.stream().mapToLong(RoundStats::done).sum()), "trained");
        fact(facts, String.valueOf(rounds.stream().mapToLong(RoundStats::cached).sum()), "reused (cached)");
        fact(facts, String.valueOf(rounds.stream().mapToLong(RoundStats::failed).sum()), "failed or diverged");
        fact(facts, best.map(b -> fmt(b.reward())).orElse("&ndash;"), "best validation accuracy");
        fact(facts, span(records), "first child to last");
        fact(facts, percent(RoundStats.meanUtilization(rounds)), "executor utilization");

        StringBuilder rewards = new StringBuilder();
        figure(rewards, "reward.png", "Validation accuracy of the round's children: mean (failures count as 0), best, "
                + "and the best so far.");
        if (comparison != null) {
            figure(rewards, "comparison.png", "Best so far against children sampled at this search's budget: per "
                    + "strategy, the mean over the table's searches that ran it (one per seed) between the lowest and "
                    + "highest. A study of its own: <code>nasnet compare</code> (docs/search-quality.md).");
        } else if (!others.isEmpty()) {
            figure(rewards, "strategies.png", "Best so far against children evaluated, for this search and the other "
                    + "searches of the table that ran another strategy.");
        }
        String note = comparison != null ? "" : "<p class=\"note\">What this search can say: which cells did well at "
                + "its budget. With " + records.size() + " children from one seed it cannot say whether the controller "
                + "beats random search: that takes several seeds of each strategy at equal budget "
                + "(<code>nasnet compare</code>; the measured answer and its limits are in "
                + "docs/search-quality.md).</p>\n";
        StringBuilder ops = new StringBuilder();
        for (CellType type : CellType.values()) {
            figure(ops, "ops-" + type.token() + ".png", "Share of each op among the " + type
                    + " cell's op choices, per round.");
        }
        Instant asOf = records.stream().map(HistoryRecord::finishedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(Instant.EPOCH);
        Map<String, String> values = new java.util.HashMap<>();
        values.put("searchId", escapeHtml4(searchId));
        values.put("strategy", escapeHtml4(first.strategy()));
        values.put("budget", escapeHtml4(first.budget()));
        values.put("version", escapeHtml4(first.version()));
        values.put("facts", facts.toString());
        values.put("rewardFigures", rewards.toString());
        values.put("rewardNote", note);
        values.put("opFigures", ops.toString());
        values.put("best", best.map(Report::bestSection).orElse("<p>No child has finished training yet.</p>\n"));
        values.put("top", topTable());
        values.put("rounds", roundsTable(rounds));
        values.put("lineage", lineageTable());
        values.put("asOf", asOf.toString().substring(0, 19).replace('T', ' '));
        return Page.render("NASNet search " + searchId, "report", Page.fill("report.html", values));
    }

    private static String bestSection(HistoryRecord b) {
        StringBuilder cells = new StringBuilder();
        for (CellType type : CellType.values()) {
            figure(cells, type.token() + ".svg", capitalize(type.token()) + " cell (<a href=\"" + type.token()
                    + ".dot\">DOT</a>)");
        }
        return Page.fill("report-best.html", Map.of("archId", escapeHtml4(b.archId()), "reward", fmt(b.reward()),
                "round", String.valueOf(b.round()), "child", String.valueOf(b.childIndex()),
                "params", String.format(Locale.ROOT, "%,d", b.params()),
                "multAdds", String.format(Locale.ROOT, "%,d", b.multAdds()),
                "genotype", escapeHtml4(b.genotype().replace(" | ", "\n")), "cells", cells.toString()));
    }

    /** The best architectures: each one's best training (its first, as reuse copies it), and how often it was sampled. */
    private String topTable() {
        StringBuilder h = new StringBuilder();
        Map<String, List<HistoryRecord>> byArch = records.stream()
                .filter(r -> r.status().measured())
                .collect(Collectors.groupingBy(HistoryRecord::archId));
        List<HistoryRecord> top = byArch.values().stream().map(HistoryRecord::best).flatMap(Optional::stream)
                .sorted(Comparator.comparingDouble(HistoryRecord::reward).reversed())
                .limit(TOP).toList();
        if (top.isEmpty()) {
            return "";
        }
        h.append("<h2>Top architectures</h2>\n<table>\n<tr><th class=\"l\">arch id</th><th>best reward</th>"
                + "<th>evaluations</th><th>first round</th><th>params</th><th>mult-adds</th>"
                + "<th class=\"l\">genotype</th></tr>\n");
        for (HistoryRecord b : top) {
            h.append("<tr><td class=\"l\"><code>").append(escapeHtml4(b.archId())).append("</code></td><td>")
                    .append(fmt(b.reward())).append("</td><td>").append(byArch.get(b.archId()).size())
                    .append("</td><td>").append(b.round()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", b.params()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", b.multAdds()))
                    .append("</td><td class=\"l\"><code>").append(escapeHtml4(b.genotype()))
                    .append("</code></td></tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    /**
     * Evolution's lineage: each child made from a parent, with the parent's best reward in this search,
     * so a reader sees which architectures bred and whether their children did better.
     */
    private String lineageTable() {
        StringBuilder h = new StringBuilder();
        List<HistoryRecord> bred = records.stream().filter(r -> r.parentArchId() != null).toList();
        if (bred.isEmpty()) {
            return "";
        }
        Map<String, Double> bestOf = new java.util.HashMap<>();
        records.stream().filter(r -> r.status().measured())
                .forEach(r -> bestOf.merge(r.archId(), r.reward(), Math::max));
        h.append("<h2>Lineage</h2>\n<p class=\"sub\">").append(bred.size()).append(" of ").append(records.size())
                .append(" children were mutations of a parent from the population; the others were sampled from "
                        + "scratch.</p>\n<table>\n<tr><th>round</th><th>child</th><th class=\"l\">strategy</th>"
                        + "<th class=\"l\">parent</th><th>parent's reward</th><th class=\"l\">child</th>"
                        + "<th>child's reward</th></tr>\n");
        for (HistoryRecord r : bred) {
            Double parent = bestOf.get(r.parentArchId());
            h.append("<tr><td>").append(r.round()).append("</td><td>").append(r.childIndex())
                    .append("</td><td class=\"l\">").append(escapeHtml4(r.strategy()))
                    .append("</td><td class=\"l\"><code>").append(escapeHtml4(r.parentArchId()))
                    .append("</code></td><td>").append(parent == null ? "&ndash;" : fmt(parent))
                    .append("</td><td class=\"l\"><code>").append(escapeHtml4(r.archId()))
                    .append("</code></td><td>").append(fmt(r.reward())).append("</td></tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static String roundsTable(List<RoundStats> rounds) {
        StringBuilder h = new StringBuilder();
        h.append("<h2>Rounds</h2>\n<table>\n<tr><th>round</th><th>children</th><th>trained</th><th>cached</th>"
                + "<th>failed or diverged</th><th>mean</th><th>best</th><th>best so far</th>"
                + "<th>executor utilization</th><th>child-seconds</th>"
                + (rounds.stream().anyMatch(r -> r.rungs() > 1) ? "<th>at the last rung</th>" : "") + "</tr>\n");
        boolean rungs = rounds.stream().anyMatch(r -> r.rungs() > 1);
        for (RoundStats r : rounds) {
            h.append("<tr><td>").append(r.round()).append("</td><td>").append(r.children()).append("</td><td>")
                    .append(r.done()).append("</td><td>").append(r.cached())
                    .append("</td><td>").append(r.failed()).append("</td><td>").append(fmt(r.meanReward()))
                    .append("</td><td>").append(fmt(r.bestReward())).append("</td><td>").append(fmt(r.bestSoFar()))
                    .append("</td><td>").append(percent(r.utilization()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.0f", r.childSeconds()))
                    .append(rungs ? "</td><td>" + r.wholeProxy() + " of " + r.done() + " (" + r.rungs() + " rungs)" : "")
                    .append("</td></tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    /**
     * A share as a percentage; "&ndash;" where unknown. Utilization: the children's training time over
     * the round's task slots times its wall time (see HistoryViews).
     */
    private static String percent(double share) {
        return Double.isNaN(share) ? "&ndash;" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static void fact(StringBuilder h, String value, String what) {
        h.append("<div class=\"fact\"><b>").append(value).append("</b><span>").append(what).append("</span></div>\n");
    }

    private static void figure(StringBuilder h, String src, String caption) {
        h.append("<figure><img ").append(src.endsWith(".svg") ? "class=\"cell\" " : "").append("src=\"")
                .append(src).append("\" alt=\"").append(src).append("\"><figcaption>")
                .append(caption).append("</figcaption></figure>\n");
    }

    /** From the first child's start to the last child's end. */
    private static String span(List<HistoryRecord> rs) {
        Instant start = rs.stream().map(HistoryRecord::startedAt).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(null);
        Instant end = rs.stream().map(HistoryRecord::finishedAt).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(null);
        if (start == null || end == null) {
            return "&ndash;";
        }
        Duration d = Duration.between(start, end);
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh %02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
