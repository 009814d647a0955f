package io.nasnet.surrogate;

import io.nasnet.engine.Screen;
import io.nasnet.Slow;
import io.nasnet.TestSpark;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import io.nasnet.space.Presets;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class GenotypeFeaturesTest {

    /** The non-zero features by name. */
    static Map<String, Double> nonZero(Genotype g, String prefix) {
        double[] f = GenotypeFeatures.of(g);
        List<String> names = GenotypeFeatures.names();
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < f.length; i++) {
            if (f[i] != 0 && names.get(i).startsWith(prefix)) {
                out.put(names.get(i), f[i]);
            }
        }
        return out;
    }

    @Test
    void nasnetAsNormalCellByHand() {
        // (0 sep5x5, 1 sep3x3) (1 sep5x5, 1 sep3x3) (0 avg3x3, 1 identity) (1 avg3x3, 1 avg3x3) (0 sep3x3, 0 identity)
        Genotype a = Presets.NASNET_A;
        assertThat(GenotypeFeatures.names()).hasSize(GenotypeFeatures.size()).doesNotHaveDuplicates();
        assertThat(nonZero(a, "op:normal:")).containsExactly(Map.entry("op:normal:avg3x3", 3.0),
                Map.entry("op:normal:identity", 2.0), Map.entry("op:normal:sep3x3", 3.0),
                Map.entry("op:normal:sep5x5", 2.0));
        assertThat(nonZero(a, "combine:normal:")).containsExactly(Map.entry("combine:normal:add", 5.0));
        assertThat(nonZero(a, "input:normal:block0.")).containsOnlyKeys("input:normal:block0.input1=0",
                "input:normal:block0.input2=1");
        assertThat(nonZero(a, "input:normal:block4.")).containsOnlyKeys("input:normal:block4.input1=0",
                "input:normal:block4.input2=0");
        // every block reads h_{i-1} or h_i and joins the output: ten one-op paths, no two-op path
        assertThat(nonZero(a, "path1:normal:")).containsExactly(Map.entry("path1:normal:0:avg3x3", 1.0),
                Map.entry("path1:normal:0:identity", 1.0), Map.entry("path1:normal:0:sep3x3", 1.0),
                Map.entry("path1:normal:0:sep5x5", 1.0), Map.entry("path1:normal:1:avg3x3", 2.0),
                Map.entry("path1:normal:1:identity", 1.0), Map.entry("path1:normal:1:sep3x3", 2.0),
                Map.entry("path1:normal:1:sep5x5", 1.0));
        assertThat(nonZero(a, "path2:normal:")).isEmpty();
        assertThat(nonZero(a, "shape:normal:")).as("five blocks side by side and h_{i-1}: six wide, one deep")
                .containsExactly(Map.entry("shape:normal:depth", 1.0), Map.entry("shape:normal:outputs", 6.0));
    }

    @Test
    void aChainOfBlocksGivesTwoOpPathsOnlyThroughBlocksThatReachTheOutput() {
        // block 0 reads h_i by sep3x3 and h_{i-1} by max3x3; block 1 reads block 0 by conv1x1 and h_i by
        // identity; only block 1 is a loose end, so block 0's paths reach the output through block 1
        Genotype g = Genotype.parse("normal (1 sep3x3, 0 max3x3, add) (2 conv1x1, 1 identity, add) concat 3 "
                + "| reduction (0 sep3x3, 1 sep3x3, add) (2 avg3x3, 2 max3x3, add) concat 3");
        assertThat(nonZero(g, "path1:normal:")).containsOnlyKeys("path1:normal:1:identity");
        assertThat(nonZero(g, "path2:normal:")).containsExactly(Map.entry("path2:normal:0:max3x3>conv1x1", 1.0),
                Map.entry("path2:normal:1:sep3x3>conv1x1", 1.0));
        // two ops of block 1 read block 0: each of block 0's two paths goes on through each of them
        assertThat(nonZero(g, "path2:reduction:")).containsExactly(
                Map.entry("path2:reduction:0:sep3x3>avg3x3", 1.0), Map.entry("path2:reduction:0:sep3x3>max3x3", 1.0),
                Map.entry("path2:reduction:1:sep3x3>avg3x3", 1.0), Map.entry("path2:reduction:1:sep3x3>max3x3", 1.0));
        assertThat(nonZero(g, "shape:normal:")).as("one output, two blocks deep")
                .containsExactly(Map.entry("shape:normal:depth", 2.0), Map.entry("shape:normal:outputs", 1.0));
        assertThat(Op.values()).hasSize(13);
    }

    @Test
    @Slow
    void thePredictorRanksALearnableRewardAndSaysWhenItHasTooFewRows() {
        SparkSession spark = TestSpark.local();
        Encoding enc = new Encoding(5);
        Random rng = new Random(1);
        List<Screen.Example> examples = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Genotype g = enc.random(rng);
            // a reward the features carry: the share of separable convolutions, plus noise
            double sep = GenotypeFeatures.of(g)[Op.SEP_3X3.ordinal()] + GenotypeFeatures.of(g)[Op.SEP_5X5.ordinal()];
            examples.add(new Screen.Example(g, 0.5 + 0.05 * sep + 0.01 * rng.nextGaussian()));
        }
        Screen.Fit few = Predictor.fit(spark, examples.subList(0, 20), 30, 7);
        assertThat(few.model()).isEmpty();
        assertThat(few.note()).isEqualTo("not used: 20 measured rows at this budget, fewer than predictor.min-rows = 30");
        Screen.Fit fit = Predictor.fit(spark, examples, 30, 7);
        assertThat(fit.model()).isPresent();
        assertThat(fit.tau()).as(fit.note()).isGreaterThan(0.4);
        assertThat(fit.note()).startsWith("gradient-boosted trees on 120 rows, held-out Kendall tau ")
                .endsWith(" on 24");
        // a round of 4 from 12 candidates with a quarter at random: the 3 predicted best, in order,
        // then one of the other 9, the same for the same seed
        List<Genotype> candidates = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            candidates.add(enc.random(new Random(1000 + i)));
        }
        Screen.Model model = fit.model().get();
        List<Integer> chosen = model.choose(candidates, 4, 0.25, 5);
        List<Integer> byScore = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        byScore.sort((x, y) -> Double.compare(model.predict(candidates.get(y)), model.predict(candidates.get(x))));
        assertThat(chosen).hasSize(4).doesNotHaveDuplicates().startsWith(byScore.get(0), byScore.get(1), byScore.get(2));
        assertThat(byScore.subList(3, 12)).contains(chosen.get(3));
        assertThat(model.choose(candidates, 4, 0.25, 5)).isEqualTo(chosen);
        assertThat(model.choose(candidates, 4, 0.0, 5)).isEqualTo(byScore.subList(0, 4));
        // deterministic: the same rows and seed predict the same
        Screen.Model again = Predictor.fit(spark, examples, 30, 7).model().orElseThrow();
        Genotype probe = enc.random(new Random(99));
        assertThat(again.predict(probe)).isEqualTo(fit.model().get().predict(probe));
    }
}
