package io.nasnet.search;

import io.nasnet.engine.RoundEngine;
import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.cli.Main;
import io.nasnet.history.HistoryFile;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nasnet compact}: every row and column kept, a search continued after it, a running search
 * refused naming its driver, and readers of the table during a compaction each seeing every round
 * exactly once.
 */
@Slow
class CompactionTest extends LocalSearchTest {

    static SearchConfig searched(Path dir, int rounds) throws Exception {
        SearchConfig c = TestSearch.config(data, dir, "search.id=s", "search.rounds=" + rounds);
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        return c;
    }

    static List<Row> rows(HistoryTable table) {
        return table.all().collectAsList();
    }

    @Test
    void compactionKeepsEveryRowAndColumnAndTheSearchContinuesAfterIt(@TempDir Path dir) throws Exception {
        SearchConfig c = searched(dir, 3);
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        List<Row> before = rows(table);
        assertThat(table.files("s")).hasSize(3).noneMatch(HistoryFile::compacted);

        Compaction.Outcome o = Compaction.run(spark, c, List.of("s"), Clock.systemUTC());
        assertThat(o.refused()).isEmpty();
        assertThat(o.done()).singleElement().isEqualTo(new HistoryTable.Compaction("s", 3, 1, 9));
        assertThat(table.files("s")).singleElement().satisfies(f -> {
            assertThat(f.compacted()).isTrue();
            assertThat(f.first()).isZero();
            assertThat(f.last()).isEqualTo(2);
        });
        assertThat(table.all().schema().fieldNames()).containsExactly(HistoryRecord.SCHEMA.fieldNames());
        assertThat(rows(table)).as("every row, every column").hasSize(9).containsExactlyInAnyOrderElementsOf(before);
        for (int r = 0; r < 3; r++) {
            int round = r;
            assertThat(table.read("s", r)).extracting(HistoryRecord::toRow)
                    .containsExactlyElementsOf(before.stream().filter(x -> x.getInt(1) == round)
                            .sorted(java.util.Comparator.comparingInt(x -> x.getInt(2))).toList());
        }
        assertThat(SearchCheck.run(spark, c).problems()).isEmpty();
        assertThat(Compaction.run(spark, c, List.of(), Clock.systemUTC()).done())
                .containsExactly(new HistoryTable.Compaction("s", 1, 1, -1));

        // the search continues after the compaction, and a night's end compacts it again (history.compact)
        SearchConfig more = TestSearch.config(data, dir, "search.id=s", "search.rounds=2", "history.compact=true");
        RoundEngine.Summary s = new SearchJob(spark, more, SyntheticTrainer.factory(List.of())).run();
        assertThat(s.firstRound()).isEqualTo(3);
        assertThat(table.records("s")).hasSize(15).extracting(HistoryRecord::round)
                .containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4);
        assertThat(table.files("s")).singleElement().satisfies(f -> assertThat(f.last()).isEqualTo(4));
        assertThat(SearchCheck.run(spark, more).problems()).isEmpty();

        // a round written again after a compaction (a run that lost its checkpoint) replaces that round only
        List<HistoryRecord> round4 = table.read("s", 4);
        table.write(table.rows(round4.stream().map(h -> h.cachedAs("s", 4, h.childIndex(), h.strategy(), h.logProb(),
                h.parentArchId(), h.seed(), "rewritten", h.finishedAt())).toList()));
        assertThat(table.records("s")).hasSize(15);
        assertThat(table.read("s", 4)).extracting(HistoryRecord::configHash).containsOnly("rewritten");
        assertThat(table.read("s", 3)).extracting(HistoryRecord::configHash).doesNotContain("rewritten");
        assertThat(table.files("s")).hasSize(2);
    }

    @Test
    void aSearchADriverRunsIsRefusedNamingTheDriver(@TempDir Path dir) throws Exception {
        SearchConfig c = searched(dir, 2);
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        List<HistoryFile> files = table.files("s");
        try (Lease held = Lease.acquire(c.checkpointPath(), "s", "app-nightly-7", c.leaseTtl(),
                spark.sparkContext().hadoopConfiguration(), Clock.systemUTC())) {
            Compaction.Outcome o = Compaction.run(spark, c, List.of(), Clock.systemUTC());
            assertThat(o.done()).isEmpty();
            assertThat(o.refused()).singleElement().asString().contains("search s is being run by")
                    .contains("app-nightly-7");
            StringWriter out = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "compact",
                    "--set", "history.path=\"" + c.historyPath() + "\"", "--set", "checkpoint.path=\"" + c.checkpointPath() + "\"");
            assertThat(code).isEqualTo(1);
            assertThat(out.toString()).contains("refused: search s is being run by").contains("app-nightly-7");
        }
        assertThat(table.files("s")).isEqualTo(files);
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "compact", "--search-id", "s",
                "--set", "history.path=\"" + c.historyPath() + "\"", "--set", "checkpoint.path=\"" + c.checkpointPath() + "\""))
                .isZero();
        assertThat(out.toString()).contains("search s: 2 file(s) -> 1, 6 rows");
    }

    /** Rows per round of the whole table, as a reader counts them. */
    static Map<Integer, Long> perRound(HistoryTable table) {
        Map<Integer, Long> out = new TreeMap<>();
        table.all().groupBy("round").count().collectAsList().forEach(r -> out.put(r.getInt(0), r.getLong(1)));
        return out;
    }

    @Test
    void aReaderDuringACompactionSeesEveryRoundOnce(@TempDir Path dir) throws Exception {
        SearchConfig c = searched(dir, 5);
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        Map<Integer, Long> whole = Map.of(0, 3L, 1, 3L, 2, 3L, 3, 3L, 4, 3L);
        RoundFilesAside roundFiles = RoundFilesAside.keep(dir.resolve("history/search_id=s"), dir.resolve("aside"));

        // the moment between a compaction's rename and its deletes, held still: both generations listed
        Compaction.run(spark, c, List.of(), Clock.systemUTC());
        roundFiles.putBack();
        assertThat(table.files("s")).hasSize(6);
        assertThat(perRound(table)).isEqualTo(whole);
        assertThat(table.read("s", 2)).hasSize(3);
        assertThat(SearchCheck.run(spark, c).problems()).isEmpty();

        // and live: a reader querying over and over while the table is compacted again and again
        AtomicBoolean done = new AtomicBoolean();
        List<Map<Integer, Long>> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    seen.add(perRound(table));
                } catch (RuntimeException e) {
                    failed.add(String.valueOf(e.getMessage()));
                }
            }
        });
        reader.start();
        for (int i = 0; i < 4; i++) {
            Compaction.run(spark, c, List.of(), Clock.systemUTC());
            roundFiles.putBack();
        }
        done.set(true);
        reader.join();
        assertThat(seen).as("answers during the compactions").isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo(whole));
        // a query whose listing went stale under it fails naming the file, and is simply run again
        assertThat(failed).allSatisfy(m -> assertThat(m).containsAnyOf("does not exist", "FileNotFound"));
    }
}
