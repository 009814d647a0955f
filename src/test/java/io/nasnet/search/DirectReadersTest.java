package io.nasnet.search;

import io.nasnet.Slow;
import io.nasnet.TestSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader of the history table's files that is not Spark (DuckDB, as users query it) during a
 * round's write and during a compaction: it never meets a partial file, because writes stage beside
 * the table, and the documented query (docs/history-and-report.md) takes each round from its newest
 * file, so every answer holds each child of each whole round once.
 */
@Slow
class DirectReadersTest extends LocalSearchTest {

    /**
     * The documented DuckDB view of a table's files (docs/history-and-report.md): each round's rows from
     * the newest file that holds it, by the sequence number in the file's name.
     */
    static String view(Path history) {
        return """
                CREATE OR REPLACE VIEW history AS
                SELECT * EXCLUDE (filename, seq) FROM (
                  SELECT *, CAST(regexp_extract(filename, '-s([0-9]+)-[^/]*$', 1) AS BIGINT) AS seq
                  FROM read_parquet('%s/**/*.parquet', hive_partitioning = true, union_by_name = true, filename = true))
                QUALIFY seq = max(seq) OVER (PARTITION BY search_id, round)
                """.formatted(history);
    }

    static final String COUNT = "SELECT count(*), count(DISTINCT (search_id, round, child_index)) FROM history";

    @Test
    void duckDbReadingDuringWritesAndCompactionsSeesWholeRoundsOnceAndNoPartialFile(@TempDir Path dir)
            throws Exception {
        SearchConfig first = TestSearch.config(data, dir, "search.id=s", "search.rounds=2");
        new SearchJob(spark, first, SyntheticTrainer.factory(List.of())).run();
        Path history = Path.of(first.historyPath());

        AtomicBoolean done = new AtomicBoolean();
        List<long[]> answers = Collections.synchronizedList(new ArrayList<>());
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
                try (Statement st = db.createStatement()) {
                    st.execute(view(history));
                }
                while (!done.get()) {
                    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(COUNT)) {
                        rs.next();
                        answers.add(new long[]{rs.getLong(1), rs.getLong(2)});
                    } catch (java.sql.SQLException e) {
                        failed.add(e.getMessage());
                    }
                }
            } catch (java.sql.SQLException e) {
                failed.add("no DuckDB connection: " + e.getMessage());
            }
        });
        reader.start();
        long t0 = System.nanoTime();
        while (answers.isEmpty() && failed.isEmpty() && System.nanoTime() - t0 < 60e9) {
            Thread.sleep(10);
        }
        assertThat(answers).as("the first read, before the writes (failures: %s)", first(failed)).isNotEmpty();
        // two more rounds written while the reader reads, then the table compacted twice
        SearchConfig more = TestSearch.config(data, dir, "search.id=s", "search.rounds=2");
        new SearchJob(spark, more, SyntheticTrainer.factory(List.of())).run();
        int writes = answers.size();
        RoundFilesAside roundFiles = RoundFilesAside.keep(dir.resolve("history/search_id=s"), dir.resolve("aside"));
        assertThat(roundFiles.files()).hasSize(4);
        for (int i = 0; i < 2; i++) {
            Compaction.run(spark, more, List.of(), Clock.systemUTC());
            roundFiles.putBack();
        }
        done.set(true);
        reader.join();

        assertThat(writes).as("reads during the writes (failures: %s)", first(failed)).isGreaterThan(1);
        assertThat(answers.size() - writes).as("reads during the compactions (failures: %s)", first(failed)).isPositive();
        assertThat(answers).allSatisfy(a -> {
            assertThat(a[0]).as("each child once").isEqualTo(a[1]);
            assertThat(a[0] % 3).as("whole rounds of 3 children").isZero();
            assertThat(a[0]).isBetween(6L, 12L);
        });
        assertThat(answers.get(answers.size() - 1)[0]).isEqualTo(12);
        // none met a partial file; a query whose listing went stale under it (a file deleted between its
        // listing and its read) fails naming the file, and is simply run again
        List<String> other;
        synchronized (failed) {
            other = failed.stream().filter(m -> !m.contains("No such file") && !m.contains("No files found")
                    && !m.contains("does not exist")).distinct().limit(3).toList();
        }
        assertThat(other).as("reads that failed otherwise (a partial file: 'too small to be a Parquet file')").isEmpty();
        System.out.printf("DuckDB reads: %d during the writes, %d during the compactions, %d stale listings%n",
                writes, answers.size() - writes, failed.size());
    }

    private static List<String> first(List<String> failures) {
        synchronized (failures) {
            return failures.stream().distinct().limit(3).toList();
        }
    }
}
