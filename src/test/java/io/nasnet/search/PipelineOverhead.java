package io.nasnet.search;

import io.nasnet.TestSpark;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark of the search pipeline's own cost: a whole search at the paper's scale with the
 * zero-cost {@link SyntheticTrainer} test double, so all that is timed is sampling, the Spark jobs,
 * the Parquet writes and reads, cache look-ups, PPO updates and checkpoints.
 * Run by {@code bench/pipeline-overhead.sh}; arguments: {@code [children] [population] [strategy]}.
 */
public final class PipelineOverhead {

    private PipelineOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int children = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int population = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String strategy = args.length > 2 ? args[2] : "ppo";
        int rounds = (children + population - 1) / population;
        Path dir = Files.createTempDirectory("nasnet-overhead");
        Path data = TinyData.write(dir.resolve("data"), 64, 16);
        SparkSession spark = TestSpark.local();
        SearchConfig c = SearchConfig.load(null, List.of("search.id=overhead", "search.strategy=" + strategy,
                "search.population=" + population, "search.rounds=" + rounds,
                "data.path=\"" + data + "\"", "data.validation=16",
                "history.path=\"" + dir.resolve("history") + "\"", "checkpoint.path=\"" + dir.resolve("ckpt") + "\""));
        long t0 = System.nanoTime();
        new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long rows = spark.read().parquet(dir.resolve("history").toString()).count();
        System.out.printf("pipeline overhead (%s, rounds of %d): %d children in %d rounds, %.1f s, %.2f ms per child%n",
                strategy, population, rows, rounds, seconds, 1000 * seconds / rows);
        spark.stop();
    }
}
