package io.nasnet.cli;

import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.child.Status;
import com.fasterxml.jackson.databind.JsonNode;
import io.nasnet.TestSpark;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.report.CellDiagram;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TestTrainers;
import io.nasnet.search.TrainerFactory;
import io.nasnet.space.Genotype;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report of two real small searches (DL4J training, Kryo serialization; PPO, written by {@code search --report},
 * and random search), opened in a real headless browser.
 */
@Slow
class ReportCommandTest {

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path conf;
    static Path report;

    @BeforeAll
    static void searches() throws Exception {
        spark = TestSpark.kryo();
        Path data = TestTrainers.tinyData(dir.resolve("data"));
        conf = TestSearch.conf(dir.resolve("r.conf"), data, dir, "search.id=r", "spark.master=\"local[2]\"");
        SearchConfig random = SearchConfig.load(conf.toFile(), List.of("search.id=r-random", "search.strategy=random"));
        new SearchJob(spark, random, TrainerFactory.dl4j()).run();
        report = dir.resolve("report");
        Commands.Result r = Commands.run("search", "--conf", conf.toString(), "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report: " + report.resolve("index.html").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** For each image of the page: its src, and whether the browser decoded it. */
    static List<String> brokenImages(HeadlessChromium browser, Path page, List<String> loaded) throws Exception {
        browser.open(page.toUri());
        JsonNode images = browser.script("return Array.from(document.images).map(i => "
                + "({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0}));");
        List<String> broken = new ArrayList<>();
        for (JsonNode i : images) {
            (i.path("ok").asBoolean() ? loaded : broken).add(i.path("src").asText());
        }
        return broken;
    }

    @Test
    void theReportOpensInAHeadlessBrowserWithEveryImageLoaded() throws Exception {
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("chromium-profile"))) {
            List<String> loaded = new ArrayList<>();
            assertThat(brokenImages(browser, report.resolve("index.html"), loaded)).isEmpty();
            assertThat(loaded).containsExactlyInAnyOrder("reward.png", "strategies.png", "ops-normal.png",
                    "ops-reduction.png", "normal.svg", "reduction.svg");
            // the page names the best architecture of the table, and links nothing outside its folder
            HistoryRecord best = new HistoryTable(spark, dir.resolve("history").toString()).records("r").stream()
                    .filter(h -> h.status() == Status.OK).max(Comparator.comparingDouble(HistoryRecord::reward))
                    .orElseThrow();
            io.nasnet.history.HistoryViews.register(spark, new HistoryTable(spark, dir.resolve("history").toString()));
            double round1 = spark.sql("SELECT mean_reward FROM nas_rounds WHERE search_id = 'r' AND round = 1")
                    .first().getDouble(0);
            assertThat(browser.script("return document.body.innerText;").asText())
                    .contains(best.archId()).contains(String.format(java.util.Locale.ROOT, "%.4f", best.reward()))
                    .contains(String.format(java.util.Locale.ROOT, "%.4f", round1))
                    .contains("With 6 children from one seed it cannot say whether the controller beats random search");
            assertThat(browser.script("return Array.from(document.querySelectorAll('[src],[href]'))"
                    + ".map(e => e.getAttribute('src') || e.getAttribute('href'))"
                    + ".filter(u => /^[a-z]+:/i.test(u) || u.startsWith('//'));")).isEmpty();
            Files.write(dir.resolve("report.png"), browser.screenshot());

            // the same check sees a missing chart
            Path copy = dir.resolve("report-copy");
            Files.createDirectories(copy);
            try (var files = Files.list(report)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
            Files.delete(copy.resolve("ops-normal.png"));
            assertThat(brokenImages(browser, copy.resolve("index.html"), new ArrayList<>()))
                    .containsExactly("ops-normal.png");
        }
    }

    @Test
    void reportCommandWritesThePageForAnySearchOfTheTable() throws Exception {
        Path out = dir.resolve("random-report");
        Commands.Result r = Commands.run("report", "--conf", conf.toString(), "--search-id", "r-random", "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("Search <code>r-random</code>").contains("strategies.png");
        assertThat(Files.size(out.resolve("reward.png"))).isPositive();
    }

    @Test
    void anUnknownSearchOrAnEmptyTableIsAClearErrorAndWritesNothing() {
        Path out = dir.resolve("nothing");
        Commands.Result unknown = Commands.run("report", "--conf", conf.toString(), "--search-id", "nope", "--out",
                out.toString());
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no search 'nope'");
        Commands.Result empty = Commands.run("report", "--conf", conf.toString(), "--set",
                "history.path=\"" + dir.resolve("empty") + "\"", "--search-id", "r", "--out", out.toString());
        assertThat(empty.code()).isNotZero();
        assertThat(empty.err()).contains("no search 'r'");
        assertThat(out).doesNotExist();
    }

    @Test
    void showDrawsOneArchitecture() throws Exception {
        HistoryRecord any = new HistoryTable(spark, dir.resolve("history").toString()).records("r").get(0);
        Path out = dir.resolve("diagram");
        Commands.Result r = Commands.run("show", "--conf", conf.toString(), any.archId(), "--diagram", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Genotype g = Genotype.parse(any.genotype());
        assertThat(Files.readString(out.resolve("normal.svg"))).isEqualTo(CellDiagram.of(g.normal()).svg());
        assertThat(Files.readString(out.resolve("reduction.dot"))).isEqualTo(CellDiagram.of(g.reduction()).dot());
        assertThat(r.out()).contains("wrote " + out.resolve("reduction.svg"));
    }
}
