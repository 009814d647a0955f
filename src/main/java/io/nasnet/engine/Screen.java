package io.nasnet.engine;

import io.nasnet.space.Genotype;

import java.util.List;
import java.util.Optional;

/**
 * A predictor that screens a strategy's proposals: fitted each round on what the search has measured,
 * it picks a round's children among more candidates than it trains. The search's is
 * {@code surrogate.Predictor} on Spark MLlib ({@code Predictor.screen}); the engine sees only this.
 */
public interface Screen {

    /** What a screen learns from: an architecture and its reward. */
    record Example(Genotype genotype, double reward) {
    }

    /** A fitted model; ranks candidates and predicts their rewards. */
    interface Model {
        /**
         * The indices of the {@code n} candidates to train: the best predicted, and the share
         * {@code randomShare} drawn at random (seeded) from the rest.
         */
        List<Integer> choose(List<Genotype> candidates, int n, double randomShare, long seed);

        double predict(Genotype g);
    }

    /** A fit: what it did ({@code note}, held-out {@code tau}, NaN when none) and its model, empty when it cannot rank yet. */
    record Fit(Optional<Model> model, double tau, String note) {
    }

    Fit fit(List<Example> examples, long seed);

    /** How many candidates per child a fitted screen ranks. */
    int candidates();

    /** The share of a round drawn at random among the candidates not ranked on top. */
    double randomShare();
}
