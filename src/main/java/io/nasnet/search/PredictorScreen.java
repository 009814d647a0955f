package io.nasnet.search;

import io.nasnet.engine.Screen;
import io.nasnet.space.Genotype;
import io.nasnet.surrogate.Predictor;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/** The search's predictor (gradient-boosted trees on Spark MLlib) as the round engine's screen. */
final class PredictorScreen implements Screen {

    private final SparkSession spark;
    private final Predictor.Settings settings;

    PredictorScreen(SparkSession spark, Predictor.Settings settings) {
        this.spark = spark;
        this.settings = settings;
    }

    @Override
    public Fit fit(List<Example> examples, long seed) {
        Predictor.Fit fit = Predictor.fit(spark, examples.stream()
                .map(e -> new Predictor.Example(e.genotype(), e.reward())).toList(), settings.minRows(), seed);
        return new Fit(fit.model().map(m -> new Model() {
            @Override
            public List<Integer> choose(List<Genotype> candidates, int n, long s) {
                return m.choose(candidates, n, settings.randomShare(), s);
            }

            @Override
            public double predict(Genotype g) {
                return m.predict(g);
            }
        }), fit.tau(), fit.note());
    }

    @Override
    public int candidates() {
        return settings.candidates();
    }
}
