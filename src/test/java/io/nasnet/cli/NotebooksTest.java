package io.nasnet.cli;

import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import io.nasnet.search.SearchConfig;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TestTrainers;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every SQL cell of the history notebook against a table written by two small searches (PPO and
 * random search; children trained by the named test double {@code TestTrainers.synthetic()}: the
 * cells query rows, not accuracies), so a notebook can never rot; StudyCommandsTest runs the other.
 */
class NotebooksTest {

    static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void searches() throws Exception {
        spark = TestSpark.local();
        Path data = TestTrainers.tinyData(dir.resolve("data"));
        for (String[] s : new String[][]{{"nb", "ppo"}, {"nb-random", "random"}}) {
            SearchConfig c = TestSearch.config(data, dir, "search.id=" + s[0], "search.strategy=" + s[1]);
            new SearchJob(spark, c, TestTrainers.synthetic()).run();
        }
    }

    /** The notebook's cells, split on Databricks' separator. */
    static List<String> cells(Path notebook) throws Exception {
        String text = Files.readString(notebook);
        assertThat(text).as(notebook + " is in Databricks source format").startsWith("-- Databricks notebook source\n");
        List<String> out = new ArrayList<>();
        for (String cell : text.substring(text.indexOf('\n') + 1).split("\n-- COMMAND ----------\n")) {
            out.add(cell.strip());
        }
        return out;
    }

    static boolean markdown(String cell) {
        return cell.lines().allMatch(l -> l.startsWith("-- MAGIC") || l.isBlank());
    }

    /**
     * Runs every SQL cell of {@code nb} with the widgets' values, checking that each query returns rows
     * and that the notebook declares the widgets it uses; returns the number of cells run.
     */
    static int runCells(SparkSession spark, Path nb, Map<String, String> widgets) throws Exception {
        int ran = 0;
        for (String cell : cells(nb)) {
            if (cell.isEmpty() || markdown(cell)) {
                continue;
            }
            if (cell.startsWith("CREATE WIDGET")) {
                // Databricks-only: check it declares what the cells use
                for (String w : widgets.keySet()) {
                    if (Files.readString(nb).contains("${" + w + "}")) {
                        assertThat(cell).as(nb + " declares widget " + w).contains("CREATE WIDGET TEXT " + w);
                    }
                }
                continue;
            }
            String sql = cell;
            for (Map.Entry<String, String> w : widgets.entrySet()) {
                sql = sql.replace("${" + w.getKey() + "}", w.getValue());
            }
            assertThat(sql).as("unknown widget in %s:%n%s", nb, cell).doesNotContain("${");
            List<Row> rows = spark.sql(sql).collectAsList();
            if (sql.startsWith("SELECT") || sql.startsWith("WITH")) {
                assertThat(rows).as("%s: a query that returns nothing on a real search:%n%s", nb, cell).isNotEmpty();
            }
            ran++;
        }
        return ran;
    }

    @Test
    void everySqlCellOfTheHistoryNotebookRunsOnARealTable() throws Exception {
        try (var files = Files.list(Path.of("notebooks"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".sql")).map(p -> p.getFileName().toString()))
                    .as("each notebook is run by a test: this one, or StudyCommandsTest for search-quality.sql")
                    .containsExactlyInAnyOrder("search-history.sql", "search-quality.sql");
        }
        Map<String, String> widgets = Map.of("history", "parquet.`" + dir.resolve("history") + "`",
                "search_id", "nb", "random_search_id", "nb-random");
        assertThat(runCells(spark, Path.of("notebooks/search-history.sql"), widgets)).isGreaterThanOrEqualTo(7);
    }

    @Test
    void theComparisonCellSeesBothStrategies() throws Exception {
        String cell = cells(Path.of("notebooks/search-history.sql")).stream()
                .filter(c -> c.contains("children_seen")).findFirst().orElseThrow();
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW nas_history USING parquet OPTIONS (path '"
                + dir.resolve("history") + "')");
        List<Row> rows = spark.sql(cell.replace("${search_id}", "nb").replace("${random_search_id}", "nb-random"))
                .collectAsList();
        Map<String, Long> perStrategy = rows.stream().collect(Collectors.groupingBy(r -> r.getString(0), Collectors.counting()));
        assertThat(perStrategy).containsOnlyKeys("ppo", "random");
        assertThat(perStrategy.get("ppo")).isEqualTo(6);
        assertThat(perStrategy.get("random")).isEqualTo(6);
    }
}
