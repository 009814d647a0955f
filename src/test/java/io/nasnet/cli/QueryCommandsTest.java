package io.nasnet.cli;

import io.nasnet.TestSearch;
import io.nasnet.child.Status;
import io.nasnet.TestSpark;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TestTrainers;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** sql, top and show over a history table written by a real (small, test-double-trained) search. */
class QueryCommandsTest {

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path conf;
    static List<HistoryRecord> rows;

    @BeforeAll
    static void search() throws Exception {
        spark = TestSpark.local();
        Path data = TestTrainers.tinyData(dir.resolve("data"));
        conf = TestSearch.conf(dir.resolve("q.conf"), data, dir, "search.id=q", "search.population=4",
                "spark.master=\"local[2]\"");
        SearchConfig c = SearchConfig.load(conf.toFile(), List.of());
        new SearchJob(spark, c, TestTrainers.synthetic()).run();
        rows = new HistoryTable(spark, c.historyPath()).search("q").collectAsList().stream()
                .map(HistoryRecord::fromRow).toList();
    }

    @Test
    void sqlPrintsAnAlignedTableCsvAndJson() {
        Commands.Result t = Commands.run("sql", "--conf", conf.toString(), "SELECT round, count(*) AS n FROM nas_history GROUP BY round ORDER BY round");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("round  n").contains("0      4").contains("1      4").contains("(2 rows)");
        Commands.Result csv = Commands.run("sql", "--conf", conf.toString(), "--format", "csv", "SELECT search_id, done FROM nas_rounds ORDER BY round");
        assertThat(csv.out().lines().toList()).containsExactly("search_id,done", "q,4", "q,4");
        Commands.Result json = Commands.run("sql", "--conf", conf.toString(), "--format", "json", "SELECT max(reward) AS best FROM nas_history");
        double best = rows.stream().mapToDouble(HistoryRecord::reward).max().orElseThrow();
        assertThat(json.out().trim()).isEqualTo("{\"best\":" + best + "}");
    }

    @Test
    void badSqlIsAClearErrorAndWritesNothing() throws Exception {
        long before;
        try (var files = Files.walk(dir.resolve("history"))) {
            before = files.count();
        }
        Commands.Result r = Commands.run("sql", "--conf", conf.toString(), "SELEKT * FROM nas_history");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).startsWith("error: ").contains("SELEKT");
        assertThat(r.out()).isEmpty();
        Commands.Result missing = Commands.run("sql", "--conf", conf.toString(), "SELECT * FROM no_such_view");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("no_such_view");
        try (var files = Files.walk(dir.resolve("history"))) {
            assertThat(files.count()).isEqualTo(before);
        }
    }

    @Test
    void topListsTheBestArchitecturesOfASearch() {
        Commands.Result r = Commands.run("top", "--conf", conf.toString(), "--search-id", "q", "-k", "2", "--format", "csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        HistoryRecord best = rows.stream().filter(h -> h.status() == Status.OK)
                .max(Comparator.comparingDouble(HistoryRecord::reward)).orElseThrow();
        assertThat(lines.get(1)).startsWith(best.archId() + ",");
        Commands.Result unknown = Commands.run("top", "--conf", conf.toString(), "--search-id", "nope");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no search 'nope'");
    }

    @Test
    void showPrintsAnArchitectureAndEveryEvaluation() {
        HistoryRecord any = rows.get(0);
        Commands.Result r = Commands.run("show", "--conf", conf.toString(), any.archId());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("architecture " + any.archId()).contains(any.genotype())
                .contains("\"normal\"").contains("params:");
        long evaluations = rows.stream().filter(h -> h.archId().equals(any.archId())).count();
        assertThat(r.out()).contains("(" + evaluations + " row");
        Commands.Result unknown = Commands.run("show", "--conf", conf.toString(), "0000000000000000");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no architecture '0000000000000000'");
    }

    @Test
    void anEmptyTableAnswersWithNoRows() {
        Commands.Result r = Commands.run("sql", "--conf", conf.toString(), "--set", "history.path=\"" + dir.resolve("empty") + "\"",
                "SELECT count(*) AS n FROM nas_history");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("0").contains("(1 row)");
        Commands.Result top = Commands.run("top", "--conf", conf.toString(), "--set", "history.path=\"" + dir.resolve("empty") + "\"",
                "--search-id", "q");
        assertThat(top.code()).isNotZero();
    }
}
