package io.nasnet.search;

import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import io.nasnet.history.HistoryTable;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How the history table's queries grow with a year of nightly searches, before and after
 * compaction. Template nights (searches of {@code rounds} rounds of {@code population} children)
 * are written through the real writer by whole searches with the zero-cost {@link SyntheticTrainer};
 * tables of {@code sizes} nights are then made of copies of those nights' folders (other search ids,
 * the same files), plus tonight's search still running (its round files). At each size, in the
 * round-file state and compacted: the round read-back of the running search (in this JVM, median of
 * 7), {@code nasnet sql}, {@code nasnet top} and {@code nasnet report} (each its own JVM, as a user
 * runs them), and DuckDB over the same files. Run by {@code bench/history-growth.sh}.
 */
public final class HistoryGrowth {

    private HistoryGrowth() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : Files.createTempDirectory("history-growth").toString());
        int[] sizes = Arrays.stream((args.length > 1 ? args[1] : "30,90,365").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int population = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int templates = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        SparkSession spark = TestSpark.local();
        Path data = TinyData.write(dir.resolve("data"), 64, 16);
        Path plain = dir.resolve("template");
        long t0 = System.nanoTime();
        if (!Files.exists(plain.resolve("done"))) {
            for (int t = 0; t < templates; t++) {
                SearchConfig c = config(data, plain, "night-" + t, rounds, population);
                new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
            }
            Files.writeString(plain.resolve("done"), "");
        }
        System.out.printf(Locale.ROOT, "# %d template nights of %d rounds of %d written in %.0f s%n", templates,
                rounds, population, (System.nanoTime() - t0) / 1e9);
        Path compacted = dir.resolve("template-compacted");
        FileUtils.deleteDirectory(compacted.toFile());
        FileUtils.copyDirectory(plain.toFile(), compacted.toFile());
        long t1 = System.nanoTime();
        Compaction.Outcome o = Compaction.run(spark, config(data, compacted, "night-0", rounds, population), List.of(),
                Clock.systemUTC());
        System.out.printf(Locale.ROOT, "# nasnet compact: %d nights of %d files each into %d file(s) in %.1f s, "
                        + "%.2f s per night%n", o.done().size(), o.done().get(0).filesBefore(),
                o.done().get(0).filesAfter(), (System.nanoTime() - t1) / 1e9, (System.nanoTime() - t1) / 1e9
                        / o.done().size());
        System.out.println("| nights | state | files | MB | round read-back ms | nasnet sql s | nasnet top s "
                + "| nasnet report s | DuckDB s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int size : sizes) {
            for (String state : List.of("round files", "compacted")) {
                Path table = dir.resolve("table");
                FileUtils.deleteDirectory(table.toFile());
                Path from = (state.equals("compacted") ? compacted : plain).resolve("history");
                for (int i = 0; i < size; i++) {
                    copy(from.resolve("search_id=night-" + (i % templates)),
                            table.resolve("history/search_id=night-" + String.format(Locale.ROOT, "%04d", i)));
                }
                copy(plain.resolve("history/search_id=night-0"), table.resolve("history/search_id=tonight"));
                String history = table.resolve("history").toString();
                long files;
                long bytes;
                try (Stream<Path> all = Files.walk(table.resolve("history"))) {
                    List<Path> parquet = all.filter(p -> p.toString().endsWith(".parquet")).toList();
                    files = parquet.size();
                    bytes = parquet.stream().mapToLong(p -> p.toFile().length()).sum();
                }
                HistoryTable t = new HistoryTable(spark, history);
                double[] readBack = new double[7];
                for (int i = 0; i < readBack.length; i++) {
                    long s = System.nanoTime();
                    if (t.read("tonight", rounds - 1).size() != population) {
                        throw new IllegalStateException("the round read back is not the round written");
                    }
                    readBack[i] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(readBack);
                String set = "history.path=\"" + history + "\"";
                double sql = nasnet(dir, "sql", "--set", set, "SELECT count(*), max(reward) FROM nas_history");
                double top = nasnet(dir, "top", "--search-id", "tonight", "--set", set);
                double report = nasnet(dir, "report", "--search-id", "tonight", "--set", set, "--out",
                        table.resolve("report").toString());
                double duck = duckdb(history);
                System.out.printf(Locale.ROOT, "| %d | %s | %d | %.1f | %.0f | %.1f | %.1f | %.1f | %.2f |%n", size,
                        state, files, bytes / 1e6, readBack[3], sql, top, report, duck);
            }
        }
        spark.stop();
    }

    static SearchConfig config(Path data, Path dir, String id, int rounds, int population) {
        return TestSearch.config(data, dir, "search.id=" + id, "search.rounds=" + rounds,
                "search.population=" + population, "search.strategy=random");
    }

    static void copy(Path from, Path to) throws IOException {
        FileUtils.copyDirectory(from.toFile(), to.toFile(), f -> !f.getName().endsWith(".crc"));
    }

    /** Seconds one {@code jobs/nasnet} command takes, its own JVM and Spark included; fails when it does. */
    static double nasnet(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jobs/nasnet"));
        cmd.addAll(List.of(args));
        return timed(dir, cmd);
    }

    /** Seconds DuckDB takes for the same query over the same files (its start not included). */
    static double duckdb(String history) throws Exception {
        String py = "import duckdb,time\nt=time.time()\n"
                + "r=duckdb.sql(\"SELECT count(*), max(reward) FROM read_parquet('" + history
                + "/search_id=*/*.parquet', hive_partitioning=true, union_by_name=true)\").fetchall()\n"
                + "print(time.time()-t)\n";
        Path out = Files.createTempFile("duckdb", ".txt");
        Process p = new ProcessBuilder("python3", "-c", py).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("DuckDB failed: " + Files.readString(out));
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        return Double.parseDouble(lines.get(lines.size() - 1).trim());
    }

    private static double timed(Path dir, List<String> cmd) throws Exception {
        File log = dir.resolve("command.log").toFile();
        long s = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - s) / 1e9;
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + code + "): "
                    + Files.readString(log.toPath()));
        }
        return seconds;
    }
}
