package io.nasnet.search;

import io.nasnet.engine.RoundEngine;
import io.nasnet.child.ChildMeasures;
import io.nasnet.TestSpark;
import io.nasnet.config.ConfigException;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A table and checkpoint written by release 0.1 ({@link FormatFixture}, kept in
 * src/test/resources/formats/0.1) are continued by the current code once {@code nasnet compact}
 * converted the table's round folders (before, the check names the conversion and nothing writes
 * into the table): the old rows read as they were written, the next round is appended after them,
 * and the check finds nothing wrong. A checkpoint of
 * a format this release does not know is refused, naming the file and the version.
 */
class FormatUpgradeTest {

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.local();
    }

    static void copyFixture(String release, Path to) throws Exception {
        Path from = Path.of("src/test/resources/formats", release);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Release 0.1's fixture in {@code dir}, its table converted by {@code nasnet compact}. */
    static SearchConfig converted01(Path dir) throws Exception {
        copyFixture("0.1", dir);
        SearchConfig c = FormatFixture.config(dir, "search.rounds=1");
        convert(c);
        return c;
    }

    static void convert(SearchConfig c) {
        Compaction.Outcome o = Compaction.run(spark, c, List.of(), java.time.Clock.systemUTC());
        assertThat(o.refused()).isEmpty();
        assertThat(o.done()).extracting(HistoryTable.Compaction::searchId, HistoryTable.Compaction::filesBefore,
                HistoryTable.Compaction::filesAfter, HistoryTable.Compaction::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FormatFixture.SEARCH, 2, 1, 6L));
        assertThat(new HistoryTable(spark, c.historyPath()).legacySearches()).isEmpty();
    }

    @Test
    void aTableOfRelease01IsNamedForConversionAndNotWrittenInto(@TempDir Path dir) throws Exception {
        copyFixture("0.1", dir);
        SearchConfig c = FormatFixture.config(dir, "search.rounds=1");
        assertThat(SearchCheck.run(spark, c).problems()).singleElement().satisfies(p -> {
            assertThat(p.what()).startsWith("the table keeps this search's rounds in folders (")
                    .contains("search_id=formats/round=");
            assertThat(p.todo()).contains("nasnet compact");
            assertThat(p.blocksResume()).isTrue();
        });
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run())
                .hasMessageContaining("cannot continue").hasMessageContaining("nasnet compact");
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        assertThatThrownBy(() -> table.write(table.rows(table.records(FormatFixture.SEARCH))))
                .hasMessageContaining("keeps its rounds in folders").hasMessageContaining("nasnet compact");
    }

    @Test
    void aSearchOfRelease01ContinuesAfterConversionWithItsRowsReadAsWritten(@TempDir Path dir) throws Exception {
        copyFixture("0.1", dir);
        SearchConfig c = FormatFixture.config(dir, "search.rounds=1");
        HistoryTable table = new HistoryTable(spark, c.historyPath());
        List<HistoryRecord> legacy = table.records(FormatFixture.SEARCH);
        convert(c);
        List<HistoryRecord> before = table.records(FormatFixture.SEARCH);
        assertThat(before).as("conversion keeps every row as written").isEqualTo(legacy);
        assertThat(before).extracting(r -> r.round() + "/" + r.childIndex())
                .containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        assertThat(before).allSatisfy(r -> {
            assertThat(r.configHash()).isEqualTo("4f768a56d3ab");
            assertThat(r.budget()).isEqualTo(c.child().budgetKey());
            assertThat(r.genotype()).isNotBlank();
            assertThat(r.slots()).isPositive();
            assertThat(r.accuracy()).as("rows from before the column: the reward was the accuracy").isEqualTo(r.reward());
            assertThat(r.rewardSize()).isZero();
            assertThat(r.parentArchId()).isNull();
            assertThat(r.measures()).as("columns added later read as not measured").isEqualTo(ChildMeasures.NONE);
        });
        assertThat(SearchCheck.run(spark, c).problems()).isEmpty();

        RoundEngine.Summary s = new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        assertThat(s.firstRound()).as("continued after the fixture's last round").isEqualTo(2);
        List<HistoryRecord> after = table.records(FormatFixture.SEARCH);
        assertThat(after.subList(0, before.size())).isEqualTo(before);
        assertThat(after).hasSize(9);
        assertThat(after.subList(6, 9)).extracting(HistoryRecord::round).containsOnly(2);
        // the new rows carry the columns the old ones lack, in the same table
        assertThat(after.subList(6, 9)).allSatisfy(r -> assertThat(r.measures().validationLoss()).isEqualTo(1 - r.reward()));
        assertThat(spark.sql("SELECT count(validation_loss), count(*) FROM parquet.`" + c.historyPath() + "`")
                .collectAsList().get(0).toString()).isEqualTo("[3,9]");
        assertThat(SearchCheck.run(spark, c).problems()).isEmpty();
        // the continued search's checkpoint is of the current format, naming it
        byte[] now = Files.readAllBytes(dir.resolve("ckpt/" + FormatFixture.SEARCH + ".ckpt"));
        assertThat(java.nio.ByteBuffer.wrap(now).getInt(4)).isEqualTo(Checkpoints.FORMAT);
        Checkpoints checkpoints = new Checkpoints(c.checkpointPath(), spark.sparkContext().hadoopConfiguration());
        assertThat(checkpoints.load(FormatFixture.SEARCH).orElseThrow().space())
                .as("the fixture's checkpoint had no fingerprint; the continued one has this space's")
                .isEqualTo(new io.nasnet.space.Encoding(c.blocks()).fingerprint());
    }

    @Test
    void aCheckpointSavedInAnotherSearchSpaceIsRefusedOnResumeNamingBoth(@TempDir Path dir) throws Exception {
        SearchConfig c = converted01(dir);
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        Checkpoints checkpoints = new Checkpoints(c.checkpointPath(), spark.sparkContext().hadoopConfiguration());
        io.nasnet.engine.StrategyStates.Saved saved = checkpoints.load(FormatFixture.SEARCH).orElseThrow();
        // as a release with one more op would have saved it
        String other = saved.space().replace("sep7x7, combines", "sep7x7,sep9x9, combines");
        checkpoints.save(FormatFixture.SEARCH, new io.nasnet.engine.StrategyStates.Saved(saved.round(), saved.strategy(),
                other, saved.state()));
        List<Integer> rounds = new HistoryTable(spark, c.historyPath()).rounds(FormatFixture.SEARCH);
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("formats.ckpt")
                .hasMessageContaining("saved in the search space " + other)
                .hasMessageContaining("this release searches " + saved.space());
        assertThat(new HistoryTable(spark, c.historyPath()).rounds(FormatFixture.SEARCH)).isEqualTo(rounds);
    }

    @Test
    void aCheckpointFileOfANewerFormatIsRefusedNamingTheFormat(@TempDir Path dir) throws Exception {
        SearchConfig c = converted01(dir);
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        Path ckpt = dir.resolve("ckpt/" + FormatFixture.SEARCH + ".ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        java.nio.ByteBuffer.wrap(bytes).putInt(4, Checkpoints.FORMAT + 1);
        Files.write(ckpt, bytes);
        Files.deleteIfExists(dir.resolve("ckpt/." + FormatFixture.SEARCH + ".ckpt.crc"));
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run())
                .hasMessageContaining("formats.ckpt is a search checkpoint of format 4; this release reads formats 1 to 3");
    }

    @Test
    void aCheckpointOfANewerFormatIsRefusedNamingTheFileAndTheVersion(@TempDir Path dir) throws Exception {
        converted01(dir);
        Path ckpt = dir.resolve("ckpt/" + FormatFixture.SEARCH + ".ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        // the file: magic, round, strategy (UTF), state length, state; the state: magic, version, ...
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        int stateAt = 8 + 2 + b.getShort(8) + 4;
        b.putInt(stateAt + 4, 7);
        Files.write(ckpt, bytes);
        Files.deleteIfExists(dir.resolve("ckpt/." + FormatFixture.SEARCH + ".ckpt.crc"));
        SearchConfig c = FormatFixture.config(dir, "search.rounds=1");
        assertThatThrownBy(() -> new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("search 'formats' cannot continue from its checkpoint")
                .hasMessageContaining("formats.ckpt")
                .hasMessageContaining("controller checkpoint version 7: this release reads version 1 (the checkpoint "
                        + "was written by a newer nasnet-spark");
        assertThat(new HistoryTable(spark, c.historyPath()).rounds(FormatFixture.SEARCH)).containsExactly(0, 1);
    }
}
