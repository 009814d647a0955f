package io.nasnet.surrogate;

import io.nasnet.space.Block;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Children of a known truth for the surrogate's tests: random cells whose reward is the share of
 * separable convolutions among their ops plus seeded noise, a tenth of them trained with three seeds.
 */
public final class SurrogateFixture {

    private SurrogateFixture() {
    }

    public static double separable(Genotype g) {
        List<Op> ops = Stream.of(g.normal(), g.reduction()).flatMap(c -> c.blocks().stream())
                .flatMap((Block b) -> Stream.of(b.op1(), b.op2())).toList();
        return ops.stream().filter(Op::isSeparable).count() / (double) ops.size();
    }

    /** {@code n} architectures, each child costing 15 child-seconds, rewards noisy at {@code sd}. */
    public static List<Surrogate.Sample> samples(int n, double sd, long seed) {
        Random noise = new Random(seed);
        List<Surrogate.Sample> out = new ArrayList<>();
        List<Genotype> cells = Surrogate.randomCells(n, seed);
        for (int i = 0; i < n; i++) {
            Genotype g = cells.get(i);
            int seeds = i % 10 == 0 ? 3 : 1;
            for (int s = 0; s < seeds; s++) {
                out.add(new Surrogate.Sample(g.id(), g, separable(g) + sd * noise.nextGaussian(), 15));
            }
        }
        return out;
    }

    /** The surrogate of 300 such architectures at noise 0.03, fitted once per JVM. */
    public static synchronized Surrogate fitted(SparkSession spark) {
        if (fitted == null) {
            fitted = Surrogate.fit(spark, samples(300, 0.03, 5), 50, 0.3, 1);
        }
        return fitted;
    }

    private static Surrogate fitted;
}
