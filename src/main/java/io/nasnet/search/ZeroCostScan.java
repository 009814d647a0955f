package io.nasnet.search;

import io.nasnet.child.ChildSettings;
import io.nasnet.child.Complexity;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.child.ZeroCost;
import io.nasnet.child.ZeroCostScorer;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Genotype;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.inputs.InputType;

import java.io.Serializable;
import java.util.List;

/**
 * Scores architectures at initialization without training any (their {@link ZeroCost} scores and
 * parameter count at the search's child stacking), as one Spark job, a task per slice of them: what
 * a zero-cost pre-filter or a predictor's features cost, measured on the executors.
 */
public final class ZeroCostScan {

    /** One architecture's scores. */
    public record Scored(String archId, String genotype, long params, double naswot, double synflow, double gradNorm,
                         double seconds) implements Serializable {
    }

    private ZeroCostScan() {
    }

    /** Scores {@code genotypes} on the executors with the child stacking of {@code settings} on {@code data}. */
    public static List<Scored> run(SparkSession spark, DataSpec data, ChildSettings settings, List<Genotype> genotypes) {
        Datasets.check(data);
        List<String> texts = genotypes.stream().map(Genotype::text).toList();
        int slices = Math.max(1, Math.min(texts.size(), 4 * spark.sparkContext().defaultParallelism()));
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(texts, slices)
                .map(text -> score(text, data, settings)).collect();
    }

    static Scored score(String text, DataSpec data, ChildSettings settings) {
        ExecutorSide.bindResources();
        Genotype g = Genotype.parse(text);
        ImageDataset d = Datasets.cached(data);
        Stacking stacking = Stacking.cifar(settings.n(), settings.f(), d.height(), d.width(), d.channels(), d.classes());
        ZeroCost z = ZeroCostScorer.score(g, stacking, 1, d, settings.batchSize());
        long params = Complexity.of(NetworkBuilder.configuration(g, stacking, NetworkOptions.search(0.1, 0, 1)),
                InputType.convolutional(d.height(), d.width(), d.channels())).params();
        return new Scored(g.id(), g.text(), params, z.naswot(), z.synflow(), z.gradNorm(), z.seconds());
    }
}
