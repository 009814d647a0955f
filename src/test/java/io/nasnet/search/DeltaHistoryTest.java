package io.nasnet.search;

import io.nasnet.engine.RoundEngine;
import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.cli.Main;
import io.nasnet.config.ConfigException;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code history.format = delta}: a search and its resume append rounds through Delta's log,
 * {@code nasnet compact} is Delta's OPTIMIZE and keeps every row, the table as it was before a
 * night reads back by version and by time ({@code nasnet sql --as-of}), {@code nasnet check} reads
 * the table, and a table of the other format is an error that says how to convert it, whose
 * instructions work.
 */
@Slow
class DeltaHistoryTest extends LocalSearchTest {

    static SearchConfig delta(Path dir, String... more) {
        return TestSearch.config(data, dir, java.util.stream.Stream.concat(
                java.util.stream.Stream.of("search.id=d", "history.format=delta"), java.util.stream.Stream.of(more))
                .toArray(String[]::new));
    }

    static long deltaFiles(String path) {
        return io.delta.tables.DeltaTable.forPath(spark, path).detail().first().<Long>getAs("numFiles");
    }

    @Test
    void aDeltaTableOfAnEarlierReleaseTakesTheNewColumnsOnItsNextAppend(@TempDir Path dir) throws Exception {
        SearchConfig first = delta(dir, "search.rounds=1");
        new SearchJob(spark, first, SyntheticTrainer.factory(List.of())).run();
        // the table as a release before the measurement columns wrote it
        String[] newer = {"accuracy_mean", "validation_loss", "train_loss_area", "naswot", "synflow", "grad_norm",
                "zero_cost_seconds"};
        spark.read().format("delta").load(first.historyPath()).drop(newer).write().format("delta").mode("overwrite")
                .option("overwriteSchema", "true").option("partitionOverwriteMode", "static").partitionBy("search_id")
                .save(first.historyPath());
        assertThat(spark.read().format("delta").load(first.historyPath()).columns()).doesNotContain(newer);
        assertThat(new HistoryTable(spark, first.historyPath()).records("d"))
                .as("an older table reads with the columns it lacks as not measured")
                .allSatisfy(r -> assertThat(r.measures()).isEqualTo(io.nasnet.child.ChildMeasures.NONE));

        new SearchJob(spark, delta(dir, "search.rounds=1"), SyntheticTrainer.factory(List.of())).run();
        assertThat(spark.read().format("delta").load(first.historyPath()).columns()).contains(newer);
        assertThat(spark.sql("SELECT count(validation_loss), count(*) FROM delta.`" + first.historyPath() + "`")
                .first().toString()).as("the new round's rows carry the new columns, the old ones null").isEqualTo("[3,6]");
    }

    @Test
    void aSearchResumesCompactsAndTravelsBackInTime(@TempDir Path dir) throws Exception {
        SearchConfig first = delta(dir, "search.rounds=1");
        new SearchJob(spark, first, SyntheticTrainer.factory(List.of())).run();
        assertThat(dir.resolve("history/_delta_log")).isDirectory();
        HistoryTable table = new HistoryTable(spark, first.historyPath());
        assertThat(table.format()).isEqualTo(HistoryTable.Format.DELTA);
        assertThat(table.records("d")).extracting(HistoryRecord::round).containsExactly(0, 0, 0);
        assertThat(SearchCheck.run(spark, first).problems()).isEmpty();
        Row lastCommit = io.delta.tables.DeltaTable.forPath(spark, first.historyPath()).history(1).first();
        long nightOne = lastCommit.<Long>getAs("version");
        // as of a timestamp is the last commit at or before it: night one's own last commit time
        String before = lastCommit.<java.sql.Timestamp>getAs("timestamp").toString();
        List<Row> rowsOfNightOne = table.all().collectAsList();

        // the next night continues the search: the checkpoint's round, rows appended through the log
        RoundEngine.Summary resumed = new SearchJob(spark, delta(dir, "search.rounds=2"),
                SyntheticTrainer.factory(List.of())).run();
        assertThat(resumed.firstRound()).isEqualTo(1);
        assertThat(table.records("d")).hasSize(9).extracting(HistoryRecord::round)
                .containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2);
        assertThat(deltaFiles(first.historyPath())).isEqualTo(3);

        // compaction is OPTIMIZE: one file, every row and column as before
        List<Row> all = table.all().collectAsList();
        Compaction.Outcome o = Compaction.run(spark, first, List.of(), Clock.systemUTC());
        assertThat(o.refused()).isEmpty();
        assertThat(o.done()).singleElement().isEqualTo(new HistoryTable.Compaction("d", 3, 1, 9));
        assertThat(deltaFiles(first.historyPath())).isEqualTo(1);
        assertThat(table.all().collectAsList()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(SearchCheck.run(spark, first).problems()).isEmpty();

        // time travel: the table as it stood after the first night, by version and by timestamp
        assertThat(table.asOf(String.valueOf(nightOne)).collectAsList()).containsExactlyInAnyOrderElementsOf(rowsOfNightOne);
        assertThat(table.asOf(before).collectAsList()).containsExactlyInAnyOrderElementsOf(rowsOfNightOne);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path conf = TestSearch.conf(dir.resolve("delta.conf"), data, dir, "search.id=d", "history.format=delta");
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "sql", "--conf", conf.toString(), "--format",
                "csv", "--as-of", before, "SELECT count(*) AS n, max(round) AS last FROM nas_rounds");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("n,last").contains("1,0");

        // a round written again (a run that lost its checkpoint) replaces that round only, in one commit
        List<HistoryRecord> round2 = table.read("d", 2);
        table.write(table.rows(round2.stream().map(h -> h.cachedAs("d", 2, h.childIndex(), h.strategy(), h.logProb(),
                h.parentArchId(), h.seed(), "rewritten", h.finishedAt())).toList()));
        assertThat(table.records("d")).hasSize(9);
        assertThat(table.read("d", 2)).extracting(HistoryRecord::configHash).containsOnly("rewritten");
        assertThat(table.read("d", 1)).extracting(HistoryRecord::configHash).doesNotContain("rewritten");
    }

    @Test
    void aTableOfTheOtherFormatIsAnErrorWhoseConversionWorks(@TempDir Path dir) throws Exception {
        SearchConfig plain = TestSearch.config(data, dir, "search.id=p", "search.rounds=2");
        new SearchJob(spark, plain, SyntheticTrainer.factory(List.of())).run();
        List<Row> written = new HistoryTable(spark, plain.historyPath()).all().collectAsList();

        SearchConfig asDelta = TestSearch.config(data, dir, "search.id=p", "search.rounds=1", "history.format=delta");
        assertThatThrownBy(() -> new SearchJob(spark, asDelta, SyntheticTrainer.factory(List.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("history.format = delta, but the history table at " + plain.historyPath()
                        + " is plain Parquet").hasMessageContaining("CONVERT TO DELTA");
        assertThat(dir.resolve("history/_delta_log")).doesNotExist();

        // the conversion the message gives: compact, then CONVERT TO DELTA; the search continues as Delta
        String message = "";
        try {
            new SearchJob(spark, asDelta, SyntheticTrainer.factory(List.of()));
        } catch (ConfigException e) {
            message = e.getMessage();
        }
        String convert = message.substring(message.indexOf("`nasnet sql \"") + "`nasnet sql \"".length(),
                message.lastIndexOf("\"`"));
        assertThat(Compaction.run(spark, plain, List.of(), Clock.systemUTC()).refused()).isEmpty();
        spark.sql(convert);
        HistoryTable table = new HistoryTable(spark, plain.historyPath());
        assertThat(table.format()).isEqualTo(HistoryTable.Format.DELTA);
        assertThat(table.all().collectAsList()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(new SearchJob(spark, asDelta, SyntheticTrainer.factory(List.of())).run().firstRound()).isEqualTo(2);
        assertThat(table.records("p")).hasSize(9);
        assertThat(SearchCheck.run(spark, asDelta).problems()).isEmpty();

        // and the reverse: plain Parquet writes into a Delta table would bypass its log
        assertThatThrownBy(() -> new SearchJob(spark, plain, SyntheticTrainer.factory(List.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("history.format = parquet, but the history table at " + plain.historyPath()
                        + " is a Delta table").hasMessageContaining("set history.format = delta");
        try (var files = Files.list(dir.resolve("history/search_id=p"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no round file of the plain layout")
                    .noneMatch(f -> f.matches("r\\d{5}-.*"));
        }
        assertThat(table.records("p")).hasSize(9);
    }
}
