package io.nasnet.search;

import io.nasnet.Slow;
import io.nasnet.child.ChildResult;
import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.space.Genotype;
import io.nasnet.study.Benchmark;
import io.nasnet.surrogate.Surrogate;
import io.nasnet.surrogate.SurrogateFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's in-memory searches are the searches the Spark job runs: the same strategy, seed
 * and surrogate, evaluated by executors instead of in the driver's thread, sample the same
 * architectures, get the same rewards and pick the same cells.
 */
class SurrogateSearchTest extends LocalSearchTest {

    /** Test double for the executors: a child's reward is the benchmark's, no training. */
    static TrainerFactory surrogate(Surrogate s, double sd) {
        return (settings, gpu) -> (WholeProxy) (spec, data) -> {
            double r = s.reward(Genotype.parse(spec.genotype()), spec.seed(), sd);
            return new ChildResult(spec, Status.OK, r, List.of(r), 0, 0, 0, 1, 0, 0, 0, "test", "", null, r, 0,
                    io.nasnet.child.ChildMeasures.NONE);
        };
    }

    @Test
    @Slow
    void aStrategysInMemoryBenchmarkSearchIsTheSparkSearchWithTheSurrogate(@TempDir Path dir) throws Exception {
        Surrogate s = SurrogateFixture.fitted(spark);
        for (String strategy : List.of("evolution", "reinforce")) {
            SearchConfig c = config(dir, "search.id=bench-" + strategy, "search.strategy=" + strategy,
                    "search.population=5", "search.rounds=6", "search.seed=11", "evolution.population=10",
                    "evolution.sample=3");
            new SearchJob(spark, c, surrogate(s, 0.02)).run();
            List<HistoryRecord> viaSpark = new HistoryTable(spark, c.historyPath()).records("bench-" + strategy);

            Benchmark bench = new Benchmark(s, 5, 30, 1);
            Benchmark.Variant v = new Benchmark.Variant(strategy, strategy, c.strategies());
            Benchmark.Noise noise = new Benchmark.Noise("n", 0.02, s.quality().share(0.02));
            List<HistoryRecord> inMemory = bench.rows(v, noise, 11);

            assertThat(viaSpark).hasSize(30);
            assertThat(viaSpark.stream().map(h -> h.genotype() + " " + h.status() + " " + h.reward()).toList())
                    .as(strategy).isEqualTo(inMemory.stream().map(h -> h.genotype() + " " + h.status() + " "
                            + h.reward()).toList());
            assertThat(bench.curve(strategy, "n", 11, viaSpark).trueValue()).as(strategy + "'s picks")
                    .containsExactly(bench.search(v, noise, 11).trueValue());
        }
    }

    static SearchConfig config(Path dir, String... sets) {
        return io.nasnet.TestSearch.config(data, dir, sets);
    }
}
