package io.nasnet.search;

import io.nasnet.history.Problem;

import io.nasnet.TestSearch;
import io.nasnet.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code nasnet check} on a healthy search and on each kind of damage, and a resume refused on the blocking ones. */
class SearchCheckTest extends LocalSearchTest {

    /**
     * A search of two rounds of three children (trained once, by the synthetic test double, for all
     * the tests) copied into {@code dir}; returns its settings there.
     */
    static List<String> searched(Path dir) throws IOException {
        Path healthy = shared.resolve("healthy");
        if (!Files.exists(healthy)) {
            new SearchJob(spark, SearchConfig.load(null, TestSearch.settings(data, healthy, "search.id=s")),
                    SyntheticTrainer.factory(List.of())).run();
        }
        try (Stream<Path> files = Files.walk(healthy)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(healthy.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return TestSearch.settings(data, dir, "search.id=s");
    }

    static SearchCheck.Diagnosis check(List<String> sets) throws IOException {
        return SearchCheck.run(spark, SearchConfig.load(null, sets));
    }

    static Path partFile(Path dir, int round) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("history/search_id=s"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(String.format("r%05d-", round))
                    && f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    static int cli(StringWriter out, List<String> sets) {
        List<String> args = new ArrayList<>(List.of("check", "--search-id", "s"));
        sets.stream().filter(s -> !s.startsWith("search.id")).forEach(s -> args.addAll(List.of("--set", s)));
        return Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
    }

    @Test
    void aHealthySearchPasses(@TempDir Path dir) throws Exception {
        List<String> sets = searched(dir);
        SearchCheck.Diagnosis d = check(sets);
        assertThat(d.problems()).isEmpty();
        assertThat(d.rounds()).containsEntry(0, 3L).containsEntry(1, 3L).hasSize(2);
        assertThat(d.checkpointRound()).contains(1);
        assertThat(d.lease()).startsWith("free");
        StringWriter out = new StringWriter();
        assertThat(cli(out, sets)).isZero();
        assertThat(out.toString()).contains("rounds:     0 to 1 (2 rounds, children [3, 3])")
                .contains("OK: the table and the checkpoint agree; a run continues after round 1");
    }

    @Test
    void aDeletedRoundFileIsNamedAndTheResumeRefused(@TempDir Path dir) throws Exception {
        List<String> sets = searched(dir);
        Files.delete(partFile(dir, 0));
        SearchCheck.Diagnosis d = check(sets);
        assertThat(d.problems()).extracting(Problem::what)
                .containsExactly("round 0 is missing from the table (rounds [1])");
        StringWriter out = new StringWriter();
        assertThat(cli(out, sets)).isEqualTo(1);
        assertThat(out.toString()).contains("1 problem:").contains("what to do: restore the round's file");
        assertThatThrownBy(() -> new SearchJob(spark, SearchConfig.load(null, sets), SyntheticTrainer.factory(List.of()))
                .run()).hasMessageContaining("search 's' cannot continue: 1 problem(s)")
                .hasMessageContaining("round 0 is missing from the table");
    }

    @Test
    void aTruncatedParquetFileIsNamed(@TempDir Path dir) throws Exception {
        List<String> sets = searched(dir);
        Path part = partFile(dir, 1);
        byte[] whole = Files.readAllBytes(part);
        Files.write(part, Arrays.copyOf(whole, whole.length / 2));
        Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
        SearchCheck.Diagnosis d = check(sets);
        assertThat(d.problems()).hasSize(1);
        Problem p = d.problems().get(0);
        assertThat(p.what()).startsWith("unreadable Parquet file file:" + part).contains("in round 1");
        assertThat(p.todo()).contains("delete the round's file " + "file:" + part).contains("the next run trains the round again");
        assertThat(p.blocksResume()).isTrue();
    }

    @Test
    void aStaleTemporaryFolderIsReportedButDoesNotStopAResume(@TempDir Path dir) throws Exception {
        List<String> sets = searched(dir);
        // writes stage beside the table (.history-staging), so that readers of its files never meet a partial one
        Path leftover = dir.resolve(".history-staging/0c2f/search_id=s");
        Files.createDirectories(leftover);
        Files.write(leftover.resolve("part-00000.snappy.parquet"), new byte[]{1, 2, 3});
        SearchCheck.Diagnosis d = check(sets);
        assertThat(d.problems()).hasSize(1);
        assertThat(d.problems().get(0).what()).contains("a write killed before it finished left")
                .contains(dir.resolve(".history-staging/0c2f").toString());
        // an earlier release staged inside the table: its leftovers are found there too
        Path older = dir.resolve("history/_staging-77aa/search_id=s");
        Files.createDirectories(older);
        Files.write(older.resolve("part-00000.snappy.parquet"), new byte[]{1, 2, 3});
        assertThat(check(sets).problems()).extracting(Problem::what)
                .anyMatch(w -> w.contains(dir.resolve("history/_staging-77aa").toString()));
        deleteTree(dir.resolve("history/_staging-77aa"));
        assertThat(d.problems().get(0).blocksResume()).isFalse();
        StringWriter out = new StringWriter();
        assertThat(cli(out, sets)).isEqualTo(1);
        assertThat(out.toString()).contains("hadoop fs -rm -r");
        // leftovers of another search sharing the table are not this search's problem
        Files.move(leftover, leftover.resolveSibling("search_id=other"));
        assertThat(check(sets).problems()).isEmpty();
        // a run continues the search despite a leftover
        SearchConfig more = SearchConfig.load(null, concat(sets, "search.rounds=1"));
        assertThat(new SearchJob(spark, more, SyntheticTrainer.factory(List.of())).run().firstRound()).isEqualTo(2);
    }

    @Test
    void aCheckpointAheadOfTheTableIsNamed(@TempDir Path dir) throws Exception {
        List<String> sets = searched(dir);
        Files.delete(partFile(dir, 1));
        SearchCheck.Diagnosis d = check(sets);
        assertThat(d.problems()).extracting(Problem::what).containsExactly(
                "the checkpoint records round 1 as complete but the table's last round is 0 "
                        + "(rounds 1 to 1 are missing from the table)");
        assertThat(d.checkpointRound()).contains(1);
    }

    @Test
    void aStrayFileInARoundAndALiveLeaseAreReported(@TempDir Path dir) throws Exception {
        List<String> sets = searched(dir);
        Files.writeString(dir.resolve("history/search_id=s/notes.txt"), "copied here by hand");
        SearchConfig c = SearchConfig.load(null, sets);
        try (Lease held = Lease.acquire(c.checkpointPath(), "s", "app-other", c.leaseTtl(),
                spark.sparkContext().hadoopConfiguration(), java.time.Clock.systemUTC())) {
            SearchCheck.Diagnosis d = check(sets);
            assertThat(d.leaseLive()).isTrue();
            assertThat(d.lease()).startsWith("held by host ").contains("app-other").endsWith("a run is going on");
            assertThat(d.problems()).extracting(Problem::what).containsExactly("stray file file:"
                    + dir.resolve("history/search_id=s/notes.txt")
                    + " in the search's folder: Spark reads every file of the table as Parquet");
        }
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
