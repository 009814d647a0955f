package io.nasnet.report;

import io.nasnet.history.RoundStats;

import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.space.CellType;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import io.nasnet.space.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ReportTest {

    static final Genotype CHAIN = CellDiagramTest.chain();

    static HistoryRecord row(String search, String strategy, int round, int child, Genotype g, String status,
                             double reward) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(600L * round + child);
        return HistoryRecord.of(Map.ofEntries(Map.entry("search_id", search), Map.entry("round", round),
                Map.entry("child_index", child), Map.entry("arch_id", g.id()), Map.entry("genotype", g.text()),
                Map.entry("strategy", strategy), Map.entry("status", status), Map.entry("reward", reward),
                Map.entry("log_prob", -1.0), Map.entry("val_accuracy", List.of(reward)), Map.entry("train_loss", 0.5),
                Map.entry("params", 1000), Map.entry("mult_adds", 2000), Map.entry("epochs", 1),
                Map.entry("images_per_sec", 10), Map.entry("train_seconds", 60), Map.entry("peak_rss_bytes", 1 << 20),
                Map.entry("started_at", t), Map.entry("finished_at", t.plusSeconds(60)),
                Map.entry("error", status.equals("FAILED") ? "boom" : ""), Map.entry("slots", 2), Map.entry("host", "host"),
                Map.entry("gpu", ""), Map.entry("seed", 1), Map.entry("budget", "b"), Map.entry("config_hash", "c"),
                Map.entry("version", "dev"), Map.entry("data_checksum", "")));
    }

    static List<HistoryRecord> search() {
        return List.of(
                row("s", "ppo", 0, 0, Presets.NASNET_A, "OK", 0.6),
                row("s", "ppo", 0, 1, CHAIN, "FAILED", 0.0),
                row("s", "ppo", 1, 0, CHAIN, "OK", 0.5),
                row("s", "ppo", 1, 1, Presets.NASNET_A, "CACHED", 0.6),
                row("s", "ppo", 2, 0, CHAIN, "DIVERGED", 0.0),
                row("s", "ppo", 2, 1, CHAIN, "OK", 0.7));
    }

    /** The rounds of {@link #search()} as nas_rounds has them. */
    static List<RoundStats> rounds() {
        return List.of(new RoundStats(0, 1, 1, 0, 0.3, 0.6, 0.6, 0.5, 1, 1, 0), new RoundStats(1, 1, 0, 1, 0.55, 0.6, 0.6, 0.75, 1, 1, 0),
                new RoundStats(2, 1, 1, 0, 0.35, 0.7, 0.7, Double.NaN, 1, 1, 0));
    }

    @Test
    void theBestSoFarCurveIsPlacedAtTheChildrenEvaluatedByEachRoundsEnd() {
        double[][] curve = RoundStats.bestSoFarByChildren(rounds());
        assertThat(curve[0]).containsExactly(2, 4, 6);
        assertThat(curve[1]).containsExactly(0.6, 0.6, 0.7);
    }

    @Test
    void opSharesAreTheFractionOfEachRoundsOpChoices() {
        Report report = new Report("s", search(), rounds(), Map.of());
        Map<Op, double[]> shares = report.opShares(CellType.NORMAL, List.of(0, 1, 2));
        // round 2: two chain cells, half sep7x7 and half 1x7-then-7x1
        assertThat(shares.get(Op.SEP_7X7)[2]).isCloseTo(0.5, within(1e-12));
        assertThat(shares.get(Op.CONV_1X7_7X1)[2]).isCloseTo(0.5, within(1e-12));
        // round 0: NASNet-A's normal cell (sep3x3 x3, sep5x5 x2, avg3x3 x3, identity x2) plus the chain
        assertThat(shares.get(Op.AVG_POOL_3X3)[0]).isCloseTo(3 / 20.0, within(1e-12));
        for (int round = 0; round < 3; round++) {
            final int r = round;
            assertThat(shares.values().stream().mapToDouble(s -> s[r]).sum()).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void theBestIsTheHighestFinishedRewardAndTheFilesAreRealImages(@TempDir Path dir) throws Exception {
        assertThat(HistoryRecord.best(search()).orElseThrow().round()).isEqualTo(2);
        Path index = new Report("s", search(), rounds(), Map.of("rs (random)",
                List.of(new RoundStats(0, 2, 0, 0, 0.525, 0.65, 0.65, Double.NaN, 1, 2, 0)))).write(dir);
        String html = Files.readString(index);
        // the best architecture, and the rounds table from the given nas_rounds figures (round 1's mean)
        assertThat(html).contains(CHAIN.id()).contains("0.7000").contains("<td>0.5500</td>");
        // executor utilization per round (unknown for round 2) and its mean over the rounds that have it
        assertThat(html).contains("<td>50%</td>").contains("<td>75%</td>").contains("<b>63%</b><span>executor utilization");
        for (String png : List.of("reward.png", "strategies.png", "ops-normal.png", "ops-reduction.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertThat(image).as(png).isNotNull();
            assertThat(image.getWidth()).as(png).isEqualTo(760);
            assertThat(html).contains("src=\"" + png + "\"");
        }
        assertThat(Files.readString(dir.resolve("normal.svg"))).isEqualTo(CellDiagram.of(CHAIN.normal()).svg());
    }

    @Test
    void theReportAndAStudysPageShareOneTemplateAndOneStylesheet(@TempDir Path dir) throws Exception {
        String report = Files.readString(new Report("s<1>", search(), rounds(), Map.of()).write(dir.resolve("r")));
        Files.createDirectories(dir.resolve("study"));
        String study = Files.readString(StudyPage.write(dir.resolve("study"), "Study q", "what was measured",
                "chart.png", "the chart", List.of(List.of("a", "b"), List.of("1", "2"))));
        String css;
        try (var in = Page.class.getResourceAsStream("page.css")) {
            css = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String page : List.of(report, study)) {
            assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</body>\n</html>\n").contains("<style>\n" + css + "</style>")
                    .doesNotContain("{{");
        }
        assertThat(report).contains("<title>NASNet search s&lt;1&gt;</title>").contains("<body class=\"report\">");
        assertThat(study).contains("<title>Study q</title>").contains("<body class=\"study\">")
                .contains("<tr><th>a</th><th>b</th></tr>");
    }

    @Test
    void aTemplatePlaceholderWithoutAValueIsAnErrorNamingIt() {
        assertThatThrownBy(() -> Page.fill("study.html", Map.of("title", "t", "about", "a", "png", "p.png",
                "caption", "c")))
                .isInstanceOf(IllegalStateException.class).hasMessage("template study.html: no value for {{rows}}");
        assertThat(Page.fill("study.html", Map.of("title", "t", "about", "{{about}} $1", "png", "p.png",
                "caption", "c", "rows", ""))).as("values are inserted as they are, never read as placeholders")
                .contains("<p>{{about}} $1</p>");
    }

    @Test
    void anEvolutionSearchShowsEachMutationsParentAndItsReward(@TempDir Path dir) throws Exception {
        HistoryRecord parent = row("e", "evolution", 0, 0, Presets.NASNET_A, "OK", 0.6);
        HistoryRecord other = row("e", "evolution", 0, 1, CHAIN, "OK", 0.4);
        HistoryRecord r = row("e", "evolution", 1, 0, CHAIN, "OK", 0.7);
        HistoryRecord child = r.with(Map.of("arch_id", "c1", "parent_arch_id", parent.archId()));
        String html = Files.readString(new Report("e", List.of(parent, other, child), List.of(
                new RoundStats(0, 2, 0, 0, 0.5, 0.6, 0.6, Double.NaN, 1, 2, 0),
                new RoundStats(1, 1, 0, 0, 0.7, 0.7, 0.7, Double.NaN, 1, 1, 0)), Map.of()).write(dir));
        assertThat(html).contains("<h2>Lineage</h2>").contains("1 of 3 children were mutations")
                .contains("<td class=\"l\"><code>" + parent.archId() + "</code></td><td>0.6000</td>"
                        + "<td class=\"l\"><code>c1</code></td><td>0.7000</td>");
        // a search without parents has no lineage
        assertThat(Files.readString(new Report("s", search(), rounds(), Map.of()).write(dir.resolve("s"))))
                .doesNotContain("Lineage");
    }

    @Test
    void aSearchWithoutComparisonOrFinishedChildStillReports(@TempDir Path dir) throws Exception {
        Path index = new Report("f", List.of(row("f", "ppo", 0, 0, CHAIN, "FAILED", 0)),
                List.of(new RoundStats(0, 0, 1, 0, 0, 0, 0, Double.NaN, 1, 0, 0)), Map.of()).write(dir);
        assertThat(Files.readString(index)).contains("No child has finished training yet")
                .doesNotContain("strategies.png");
        assertThat(dir.resolve("normal.svg")).doesNotExist();
        assertThatThrownBy(() -> new Report("none", List.of(), List.of(), Map.of())).hasMessageContaining("'none'");
    }
}
