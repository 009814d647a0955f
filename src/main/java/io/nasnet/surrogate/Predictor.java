package io.nasnet.surrogate;

import io.nasnet.engine.Screen;
import io.nasnet.engine.Screen.Example;
import io.nasnet.space.Genotype;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Gradient-boosted trees (a Spark ML pipeline) fitted on measured architectures, predicting a
 * genotype's reward from {@link GenotypeFeatures}. Gradient-boosted trees are among the strongest
 * predictors at a few hundred samples (White et al., NeurIPS 2021). A fifth of the rows (at least
 * five) is held out to measure Kendall's tau between predicted and measured rewards, then the model
 * is fitted on all of them. With fewer rows than the minimum there is no model, and the fit says why.
 */
public final class Predictor implements Screen.Model {

    /**
     * @param enabled     rank each round's candidates by the predictor
     * @param candidates  k: the strategy proposes k times the round's population
     * @param randomShare the share of the round chosen at random among the candidates not ranked on top
     * @param minRows     measured rows needed before the predictor is used
     */
    public record Settings(boolean enabled, int candidates, double randomShare, int minRows)
            implements java.io.Serializable {
        /** The {@code predictor.*} keys of the {@code nasnet} configuration {@code c}, validated. */
        public static Settings from(com.typesafe.config.Config c) {
            return new Settings(c.getBoolean("predictor.enabled"), c.getInt("predictor.candidates"),
                    c.getDouble("predictor.random-share"), c.getInt("predictor.min-rows"));
        }

        public Settings {
            if (candidates < 1) {
                throw new IllegalArgumentException("predictor.candidates: must be >= 1, got " + candidates);
            }
            if (randomShare < 0 || randomShare > 1) {
                throw new IllegalArgumentException("predictor.random-share: must be in [0, 1], got " + randomShare);
            }
            if (minRows < 10) {
                throw new IllegalArgumentException("predictor.min-rows: must be >= 10 (5 held out, 5 to fit), got "
                        + minRows);
            }
        }
    }

    /** The predictor as the round engine's screen: fitted each round with {@code settings}' minimum of rows. */
    public static Screen screen(SparkSession spark, Settings settings) {
        return new Screen() {
            @Override
            public Fit fit(List<Example> examples, long seed) {
                return Predictor.fit(spark, examples, settings.minRows(), seed);
            }

            @Override
            public int candidates() {
                return settings.candidates();
            }

            @Override
            public double randomShare() {
                return settings.randomShare();
            }
        };
    }

    private final GBTRegressionModel model;

    private Predictor(GBTRegressionModel model) {
        this.model = model;
    }

    /**
     * Fits on {@code examples}; deterministic for equal examples and seed (one partition, fixed seed),
     * so a resumed search ranks its candidates exactly as an uninterrupted one. The fit's model is
     * absent with too few rows; its note says what it did.
     */
    public static Screen.Fit fit(SparkSession spark, List<Example> examples, int minRows, long seed) {
        if (examples.size() < minRows) {
            return new Screen.Fit(Optional.empty(), Double.NaN, String.format(Locale.ROOT,
                    "not used: %d measured rows at this budget, fewer than predictor.min-rows = %d", examples.size(),
                    minRows));
        }
        List<Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(seed));
        int held = Math.max(5, shuffled.size() / 5);
        List<Example> test = shuffled.subList(0, held);
        Predictor partial = new Predictor(train(spark, shuffled.subList(held, shuffled.size()), seed));
        double[] predicted = test.stream().mapToDouble(e -> partial.predict(e.genotype())).toArray();
        double[] measured = test.stream().mapToDouble(Example::reward).toArray();
        double tau = new KendallsCorrelation().correlation(predicted, measured);
        Predictor all = new Predictor(train(spark, examples, seed));
        return new Screen.Fit(Optional.of(all), tau, String.format(Locale.ROOT,
                "gradient-boosted trees on %d rows, held-out Kendall tau %.3f on %d", examples.size(), tau, held));
    }

    /**
     * Which of {@code candidates} a round of {@code n} trains, in order: the {@code n - r} predicted
     * best (the earlier candidate on ties), then {@code r = round(n x randomShare)} drawn at random
     * (seeded) from the rest, so that the predictor also sees what it ranks low.
     */
    @Override
    public List<Integer> choose(List<Genotype> candidates, int n, double randomShare, long seed) {
        if (candidates.size() < n) {
            throw new IllegalArgumentException(candidates.size() + " candidates for " + n + " children");
        }
        double[] score = candidates.stream().mapToDouble(this::predict).toArray();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(score[b], score[a]));
        int random = (int) Math.round(n * randomShare);
        List<Integer> chosen = new ArrayList<>(order.subList(0, n - random));
        List<Integer> rest = new ArrayList<>(order.subList(n - random, order.size()));
        Collections.shuffle(rest, new Random(seed));
        chosen.addAll(rest.subList(0, random));
        return chosen;
    }

    @Override
    public double predict(Genotype g) {
        return model.predict(Vectors.dense(GenotypeFeatures.of(g)));
    }

    static GBTRegressionModel train(SparkSession spark, List<Example> examples, long seed) {
        StructType schema = new StructType().add("label", DataTypes.DoubleType)
                .add("features", SQLDataTypes.VectorType());
        List<Row> rows = new ArrayList<>(examples.size());
        for (Example e : examples) {
            rows.add(RowFactory.create(e.reward(), Vectors.dense(GenotypeFeatures.of(e.genotype()))));
        }
        Dataset<Row> data = spark.createDataFrame(rows, schema).coalesce(1);
        GBTRegressor gbt = new GBTRegressor().setMaxIter(40).setMaxDepth(3).setStepSize(0.1).setSeed(seed)
                .setSubsamplingRate(1.0);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[]{gbt}).fit(data);
        return (GBTRegressionModel) fitted.stages()[0];
    }
}
