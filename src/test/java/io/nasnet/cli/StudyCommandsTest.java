package io.nasnet.cli;

import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.train.FinalTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code nasnet compare} and {@code nasnet fidelity} end to end at a tiny size on the shipped data
 * (real DL4J children, real final-like trainings): a study stopped half-way ends with the rows of
 * one run uninterrupted, a rerun trains nothing again, and the charts open in the report page and
 * in the studies' own pages (the last test, after the studies).
 */
@Slow
class StudyCommandsTest {

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path resumed;
    static Commands.Result compare;

    static Path conf(Path base) throws Exception {
        Files.createDirectories(base);
        return TestSearch.conf(base.resolve("s.conf"), Path.of("data/fashion-mnist-small").toAbsolutePath(), base,
                "data.train-limit=64", "data.validation=32", "search.population=2", "spark.master=\"local[2]\"");
    }

    /** {@code nasnet compare} of study "q" with {@code children} per search, seeds 1..{@code seeds}. */
    static Commands.Result compare(Path base, int children, int seeds, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("compare", "--conf", conf(base).toString(), "--study", "q",
                "--children", String.valueOf(children), "--seeds", String.valueOf(seeds),
                "--out", base.resolve("study").toString()));
        args.addAll(List.of(more));
        return Commands.run(args.toArray(String[]::new));
    }

    /** Per search of the study, its rows as round/child:arch:reward:status. */
    static Map<String, List<String>> rows(Path base) {
        Map<String, List<String>> out = new TreeMap<>();
        HistoryTable t = new HistoryTable(spark, base.resolve("history").toString());
        for (String id : t.strategies().keySet().stream().filter(id -> id.startsWith("q-")).toList()) {
            out.put(id, t.records(id).stream().map(r -> r.round() + "/" + r.childIndex() + ":" + r.archId() + ":"
                    + r.reward() + ":" + r.status()).toList());
        }
        return out;
    }

    @BeforeAll
    static void studies() throws Exception {
        spark = TestSpark.local();
        // PPO's first search stopped after its first round (as a killed study is), then the whole study run
        resumed = dir.resolve("resumed");
        Commands.Result first = compare(resumed, 2, 1, "--strategies", "ppo");
        assertThat(first.code()).as(first.err()).isZero();
        compare = compare(resumed, 4, 2);
        assertThat(compare.code()).as(compare.err()).isZero();
    }

    @Test
    void aStudyContinuedAfterAStopEndsAsOneUninterruptedRunAndItsFiguresComeFromTheTable() throws Exception {
        // PPO's search of seed 1 alone, uninterrupted: the same children, rewards and controller
        Path straight = dir.resolve("straight");
        Commands.Result once = compare(straight, 4, 1, "--strategies", "ppo");
        assertThat(once.code()).as(once.err()).isZero();
        Map<String, List<String>> rows = rows(resumed);
        assertThat(rows.keySet()).containsExactly("q-ppo-seed1", "q-ppo-seed2", "q-random-seed1", "q-random-seed2");
        assertThat(rows.values()).allSatisfy(r -> assertThat(r).hasSize(4));
        assertThat(rows(straight)).containsExactly(Map.entry("q-ppo-seed1", rows.get("q-ppo-seed1")));
        assertThat(Files.readAllBytes(straight.resolve("ckpt/q-ppo-seed1.ckpt")))
                .isEqualTo(Files.readAllBytes(resumed.resolve("ckpt/q-ppo-seed1.ckpt")));

        // the written figures are the table's: each search's best, mean over seeds at the last child
        List<HistoryRecord> all = new ArrayList<>();
        HistoryTable t = new HistoryTable(spark, resumed.resolve("history").toString());
        rows.keySet().forEach(id -> all.addAll(t.records(id)));
        double ppoBest = (best(all, "q-ppo-seed1") + best(all, "q-ppo-seed2")) / 2;
        List<String> csv = Files.readAllLines(resumed.resolve("study/comparison.csv"));
        String ppoLast = csv.stream().filter(l -> l.startsWith("ppo,4,2,")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(ppoLast.split(",")[3])).isCloseTo(ppoBest, within(1e-6));
        assertThat(compare.out()).contains(Files.readString(resumed.resolve("study/comparison.md")))
                .contains("ppo minus random, same seed:");
        assertThat(ImageIO.read(resumed.resolve("study/comparison.png").toFile()).getWidth()).isEqualTo(760);

        // a complete study trains nothing more
        Commands.Result again = compare(resumed, 4, 2);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(rows(resumed)).isEqualTo(rows);
        // a budget that is not a whole number of rounds is refused before anything runs
        Commands.Result odd = compare(dir.resolve("odd"), 3, 2);
        assertThat(odd.code()).isEqualTo(1);
        assertThat(odd.err()).contains("--children 3 is not a multiple of nasnet.search.population = 2");
    }

    static double best(List<HistoryRecord> rows, String id) {
        return rows.stream().filter(r -> r.searchId().equals(id)).mapToDouble(HistoryRecord::reward).max().orElseThrow();
    }

    @Test
    void aStudyAtEqualChildSecondsReEvaluatesEachSearchsBestAndTestsThePairs() throws Exception {
        Path base = dir.resolve("seconds");
        String[] args = {"compare", "--conf", conf(base).toString(), "--study", "cs", "--strategies", "random,random-rungs",
                "--seeds", "1-2", "--child-seconds", "4", "--eta", "2", "--reevaluate", "2", "--checkpoints", "2",
                "--final-top", "1", "--final", "train.n=1,train.f=2,train.epochs=1,train.aux-weight=0",
                "--out", base.resolve("study").toString()};
        Commands.Result r = Commands.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        HistoryTable t = new HistoryTable(spark, base.resolve("history").toString());
        for (String id : List.of("cs-random-seed1", "cs-random-seed2", "cs-random-rungs-seed1", "cs-random-rungs-seed2")) {
            List<HistoryRecord> rows = t.records(id);
            int last = rows.stream().mapToInt(HistoryRecord::round).max().orElseThrow();
            double spent = rows.stream().mapToDouble(HistoryRecord::childSeconds).sum();
            double before = rows.stream().filter(h -> h.round() < last).mapToDouble(HistoryRecord::childSeconds).sum();
            assertThat(spent).as(id + " spent its budget").isGreaterThanOrEqualTo(4);
            assertThat(before).as(id + " stopped at the first round past it").isLessThan(4);
        }
        assertThat(t.records("cs-random-rungs-seed1")).allMatch(h -> h.rungs() == 2)
                .anyMatch(h -> h.rung() == 0).anyMatch(h -> h.rung() == 1);
        // each incumbent re-evaluated with the two fresh seeds, once
        List<HistoryRecord> re = t.records("cs-reevaluated");
        assertThat(re).isNotEmpty().allMatch(h -> h.seed() == 900_001L || h.seed() == 900_002L)
                .allMatch(h -> h.strategy().equals(HistoryRecord.GIVEN));
        assertThat(re.stream().map(h -> h.archId() + "/" + h.seed()).distinct().count()).isEqualTo(re.size());
        assertThat(re.size() % 2).isZero();
        Path out = base.resolve("study");
        for (String f : List.of("anytime.png", "anytime.csv", "study.md", "index.html")) {
            assertThat(out.resolve(f)).exists();
        }
        String md = Files.readString(out.resolve("study.md"));
        assertThat(md).contains("Budget: 4 child-seconds per search").contains("| random-rungs | 2 |")
                .contains("At the final-like budget");
        // a pair is a seed where both sides have an incumbent within the budget (a rung-0 child cut off by
        // the budget has none): the summary counts the pairs the per-search table shows
        Map<String, Boolean> measured = new TreeMap<>();
        for (String line : md.lines().filter(l -> l.startsWith("| cs-")).toList()) {
            String[] cells = line.split("\\|");
            String[] quality = cells[8].trim().split(", ");
            measured.put(cells[2].trim() + "/" + cells[3].trim(), !quality[quality.length - 1].equals("-"));
        }
        assertThat(measured).hasSize(4);
        long pairs = List.of("1", "2").stream()
                .filter(s -> measured.get("random/" + s) && measured.get("random-rungs/" + s)).count();
        assertThat(md).containsPattern("\\| random-rungs \\| 2 \\|[^\n]*\\| [0-9] of " + pairs + " \\|");
        assertThat(Files.readAllLines(out.resolve("anytime.csv"))).hasSize(1 + 2 * 2);
        // a rerun trains nothing: searches complete, re-evaluations and final-like trainings read back
        long rows = t.all().count();
        long finals = new FinalTable(spark, base.resolve("final").toString()).all().count();
        assertThat(Commands.run(args).code()).isZero();
        assertThat(t.all().count()).isEqualTo(rows);
        assertThat(new FinalTable(spark, base.resolve("final").toString()).all().count()).isEqualTo(finals).isPositive();
    }

    @Test
    void theReportOfAStudySearchAndTheStudyPageShowTheirChartsInTheBrowser() throws Exception {
        Path out = dir.resolve("report");
        Commands.Result r = Commands.run("report", "--conf", conf(resumed).toString(), "--search-id", "q-ppo-seed1",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("chromium-profile"))) {
            List<String> loaded = new ArrayList<>();
            assertThat(ReportCommandTest.brokenImages(browser, out.resolve("index.html"), loaded)).isEmpty();
            assertThat(loaded).contains("comparison.png").doesNotContain("strategies.png");
            assertThat(browser.script("return document.body.innerText;").asText())
                    .contains("per strategy, the mean over the table's searches that ran it")
                    .doesNotContain("cannot say whether the controller beats random search");
            // the study's own page, written by compare
            List<String> charts = new ArrayList<>();
            assertThat(ReportCommandTest.brokenImages(browser, resumed.resolve("study/index.html"), charts)).isEmpty();
            assertThat(charts).containsExactly("comparison.png");
        }
    }

    @Test
    void theProxyStudyMeasuresEveryTierAndRewardOnTheSameChildrenAndResumes() throws Exception {
        Path out = dir.resolve("proxy");
        List<String> args = new ArrayList<>(List.of("proxy-study", "--conf", conf(resumed).toString(), "--study", "grid",
                "--from-search", "q-random-seed1", "--random", "1", "--seeds", "2", "--tier", "child.f=3",
                "--set", "child.evaluations=2", "--set", "child.mean-last-k=2", "--set", "child.zero-cost=true",
                "--final", "train.n=1,train.f=2,train.epochs=1,train.aux-weight=0,train.batch-size=16",
                "--final-seeds", "1", "--out", out.toString()));
        // a time budget spent after the first round: the study stops there and says so
        List<String> stopped = new ArrayList<>(args);
        stopped.addAll(List.of("--time-budget", "1ms"));
        Commands.Result first = Commands.run(stopped.toArray(String[]::new));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("stopped by its time budget");
        assertThat(Files.readString(out.resolve("grid.md"))).contains("Incomplete");
        HistoryTable t = new HistoryTable(spark, resumed.resolve("history").toString());
        List<String> tiers = t.strategies().keySet().stream().filter(id -> id.startsWith("grid-tier-")).toList();
        assertThat(tiers).singleElement().satisfies(id -> assertThat(t.records(id)).hasSize(4));

        Commands.Result r = Commands.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("stopped by its time budget");
        // 2 from the search (its best and its worst), NASNet-A, 1 random; 2 tiers, 2 seeds
        List<String> csv = Files.readAllLines(out.resolve("grid.csv"));
        assertThat(csv).hasSize(1 + 2 * 4 * 2);
        List<String> ids = t.strategies().keySet().stream().filter(id -> id.startsWith("grid-tier-")).toList();
        assertThat(ids).hasSize(2);
        // the first run's round was not trained again: seed 1 of the first tier is still round 0
        assertThat(ids).allSatisfy(id -> assertThat(t.records(id)).hasSize(8)
                .allSatisfy(h -> assertThat(h.round()).isEqualTo((int) h.seed() - 1)));
        // every child measured every definition and its zero-cost scores
        assertThat(ids.stream().flatMap(id -> t.records(id).stream()).filter(h -> h.status() == Status.OK))
                .isNotEmpty().allSatisfy(h -> {
                    assertThat(h.measures().validationLoss()).isFinite();
                    assertThat(h.measures().trainLossArea()).isFinite();
                    assertThat(h.measures().accuracyMean()).isBetween(0.0, 1.0);
                    assertThat(h.measures().zeroCost().synflow()).isPositive();
                    assertThat(h.measures().zeroCost().seconds()).isPositive();
                });
        // the base tier's accuracy share printed is the one of the rows written, computed here from the CSV
        double[][] v = new double[4][2];
        List<String> archs = new ArrayList<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            if (!f[0].equals("\"base\"")) {
                continue;
            }
            if (!archs.contains(f[1])) {
                archs.add(f[1]);
            }
            v[archs.indexOf(f[1])][Integer.parseInt(f[3]) - 1] = Double.parseDouble(f[5]);
        }
        io.nasnet.study.ProxyGrid.Share share = io.nasnet.study.ProxyGrid.share(v);
        int lowest = java.util.stream.IntStream.range(0, 4).boxed()
                .min(java.util.Comparator.comparingDouble(i -> v[i][0] + v[i][1])).orElseThrow();
        double[][] rest = java.util.stream.IntStream.range(0, 4).filter(i -> i != lowest).mapToObj(i -> v[i])
                .toArray(double[][]::new);
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "| base | accuracy | 2 |"))
                .contains(String.format(java.util.Locale.ROOT, "%.2f [%.2f, %.2f] | %.2f |", share.estimate(),
                        share.low(), share.high(), io.nasnet.study.ProxyGrid.share(rest).estimate()));
        assertThat(Files.readString(out.resolve("grid.md"))).contains("| synflow |").contains("| params |")
                .doesNotContain("Incomplete");
        assertThat(ImageIO.read(out.resolve("share.png").toFile())).isNotNull();
        assertThat(new FinalTable(spark, resumed.resolve("final").toString()).all()
                .where("model_path LIKE '%grid-final-%'").count()).isEqualTo(4);
    }

    @Test
    void noiseReportsEveryRewardFromTheSameRowsAndRefusesOneTheRowsLack() throws Exception {
        Path base = dir.resolve("noise");
        List<String> args = new ArrayList<>(List.of("noise", "--conf", conf(resumed).toString(), "--study", "nz",
                "--random", "1", "--seeds", "2", "--set", "child.evaluations=2", "--out", base.toString()));
        Commands.Result r = Commands.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String md = Files.readString(base.resolve("noise.md"));
        for (io.nasnet.child.RewardDefinition d : io.nasnet.child.RewardDefinition.values()) {
            assertThat(md).containsPattern("\\| " + d.key() + " \\| [0-9.]+ \\|");
        }
        assertThat(r.out()).containsPattern("the architecture is [0-9]+% of one accuracy reward: ");

        // the same rows as a release that did not measure the losses wrote them
        HistoryTable t = new HistoryTable(spark, resumed.resolve("history").toString());
        t.write(t.rows(t.records("nz-noise").stream().map(h -> h.with(HistoryRecord.measures(io.nasnet.child.ChildMeasures.NONE)))
                .toList()));
        List<String> loss = new ArrayList<>(args);
        loss.addAll(List.of("--set", "search.reward=validation-loss"));
        Commands.Result refused = Commands.run(loss.toArray(String[]::new));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("nasnet.search.reward = validation-loss").contains("validation_loss")
                .contains("nz-noise");
        Commands.Result accuracy = Commands.run(args.toArray(String[]::new));
        assertThat(accuracy.code()).as(accuracy.err()).isZero();
        assertThat(Files.readString(base.resolve("noise.md"))).contains("| validation-loss | not measured by these rows");
        assertThat(t.records("nz-noise")).as("nothing trained again").hasSize(4);
    }

    @Test
    void zeroCostScoresRandomCellsOnTheExecutorsWithoutTrainingThem() throws Exception {
        Path out = dir.resolve("zc");
        Commands.Result r = Commands.run("zero-cost", "--conf", conf(resumed).toString(), "--random", "5",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("scored 5 architectures");
        List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
        assertThat(csv).hasSize(6);
        assertThat(csv.subList(1, 6)).allSatisfy(l -> {
            String[] f = l.split(",");
            assertThat(Long.parseLong(f[1])).isPositive();
            assertThat(Double.parseDouble(f[2])).isFinite();
            assertThat(Double.parseDouble(f[3])).isPositive();
            assertThat(Double.parseDouble(f[4])).isPositive();
        });
        assertThat(Commands.run("zero-cost", "--conf", conf(resumed).toString(), "--random", "0").code()).isNotZero();
    }

    @Test
    void fidelityRanksTheArchitecturesAtEachProxyAgainstTheirFinalLikeTrainingAndResumes() throws Exception {
        Path out = dir.resolve("fidelity");
        String[] args = {"fidelity", "--conf", conf(resumed).toString(), "--study", "fid", "--from-search",
                "q-random-seed1", "--architectures", "2", "--random", "1", "--proxy", "child.f=3",
                "--final", "train.n=1,train.f=2,train.epochs=1,train.aux-weight=0,train.batch-size=16",
                "--out", out.toString()};
        Commands.Result r = Commands.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("fidelity.csv"));
        // 2 from the search (its best and its worst), NASNet-A, 1 random; at 2 proxies
        assertThat(csv).hasSize(1 + 2 * 4);
        assertThat(csv.subList(1, 5)).anySatisfy(l -> assertThat(l).containsPattern("q-random-seed1 rank ([0-9]+) of \\1\""))
                .anySatisfy(l -> assertThat(l).contains("\"NASNet-A\""))
                .anySatisfy(l -> assertThat(l).contains("q-random-seed1 rank 1 of"))
                .anySatisfy(l -> assertThat(l).contains("\"random 1\""));

        // the rank correlations printed are those of the points written, computed here independently
        List<double[]> search = points(csv, "search budget");
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "| %.3f |", tauB(search)));
        assertThat(ImageIO.read(out.resolve("fidelity.png").toFile())).isNotNull();
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("fidelity-chromium-profile"))) {
            List<String> charts = new ArrayList<>();
            assertThat(ReportCommandTest.brokenImages(browser, out.resolve("index.html"), charts)).isEmpty();
            assertThat(charts).containsExactly("fidelity.png");
            assertThat(browser.script("return document.body.innerText;").asText()).contains("Kendall's tau")
                    .contains("search budget").contains("child.f=3");
        }

        // every evaluation is in the tables: the proxies' rows (strategy "given") and nas_final
        HistoryTable t = new HistoryTable(spark, resumed.resolve("history").toString());
        List<String> proxyIds = t.strategies().entrySet().stream().filter(e -> e.getKey().startsWith("fid-"))
                .peek(e -> assertThat(e.getValue()).isEqualTo(HistoryRecord.GIVEN)).map(Map.Entry::getKey).toList();
        assertThat(proxyIds).hasSize(2).allSatisfy(id -> assertThat(id).startsWith("fid-proxy-"));
        assertThat(proxyIds).allSatisfy(id -> assertThat(t.records(id)).hasSize(4)
                .allSatisfy(h -> assertThat(h.status()).isIn(Status.OK, Status.FAILED, Status.DIVERGED)));
        List<Row> finals = new FinalTable(spark, resumed.resolve("final").toString()).all()
                .where("model_path LIKE '%/fid-final-%'").collectAsList();
        assertThat(finals).hasSize(4);

        // the notebook of the studies shows them from the tables
        assertThat(NotebooksTest.runCells(spark, Path.of("notebooks/search-quality.sql"), Map.of(
                "history", "parquet.`" + resumed.resolve("history") + "`", "final", "parquet.`" + resumed.resolve("final") + "`",
                "study", "q", "fidelity_study", "fid"))).isEqualTo(7);
        assertThat(spark.sql("SELECT DISTINCT proxy FROM (" + cellsOf("proxy_reward") + ")").count()).isEqualTo(2);
        // the study's searches, without rungs: every child trained the whole proxy, each cost child-seconds
        List<Row> cost = spark.sql(cellsOf("children_per_child_second")).collectAsList();
        assertThat(cost).hasSize(4).allSatisfy(row -> {
            assertThat(row.getInt(1)).isEqualTo(1);
            assertThat(row.getLong(3)).isEqualTo(row.getLong(2));
            assertThat(row.getDouble(5)).isPositive();
        });

        // run again: nothing is trained again, the same figures come out
        Commands.Result again = Commands.run(args);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(r.out());
        assertThat(new FinalTable(spark, resumed.resolve("final").toString()).all()
                .where("model_path LIKE '%/fid-final-%'").count()).isEqualTo(4);
        assertThat(proxyIds).allSatisfy(id -> assertThat(t.records(id)).hasSize(4));
    }

    /** The search-quality notebook's cell that mentions {@code text}, its widgets filled in. */
    static String cellsOf(String text) throws Exception {
        return NotebooksTest.cells(Path.of("notebooks/search-quality.sql")).stream().filter(c -> c.contains(text))
                .findFirst().orElseThrow().replace("${fidelity_study}", "fid").replace("${study}", "q");
    }

    /** (proxy reward, final accuracy) of one proxy's rows of fidelity.csv. */
    static List<double[]> points(List<String> csv, String proxy) {
        List<double[]> out = new ArrayList<>();
        for (String l : csv.subList(1, csv.size())) {
            if (l.startsWith("\"" + proxy + "\",")) {
                String[] f = l.split(",");
                int n = f.length;
                out.add(new double[]{Double.parseDouble(f[n - 4]), Double.parseDouble(f[n - 2])});
            }
        }
        return out;
    }

    /** Kendall's tau-b by counting pairs. */
    static double tauB(List<double[]> p) {
        long concordant = 0;
        long discordant = 0;
        long tiesX = 0;
        long tiesY = 0;
        for (int i = 0; i < p.size(); i++) {
            for (int j = i + 1; j < p.size(); j++) {
                double dx = Math.signum(p.get(i)[0] - p.get(j)[0]);
                double dy = Math.signum(p.get(i)[1] - p.get(j)[1]);
                if (dx == 0 && dy == 0) {
                    continue;
                } else if (dx == 0) {
                    tiesX++;
                } else if (dy == 0) {
                    tiesY++;
                } else if (dx == dy) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        return (concordant - discordant) / Math.sqrt((double) (concordant + discordant + tiesX)
                * (concordant + discordant + tiesY));
    }
}
