package io.nasnet.child;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.Objects;

/**
 * What a built network needs beyond its architecture: the optimizer and weight decay DL4J keeps
 * in the configuration, batch-norm settings, and the regularizers of final training
 * (ScheduledDropPath, the auxiliary head, dropout before the classifier). Search children use
 * {@link #search}, which has none of the regularizers.
 *
 * @param dropPathKeepProb final keep probability of ScheduledDropPath (1 = off), reached by the
 *                         last cell at the end of {@code dropPathSteps} iterations
 * @param auxHeadWeight    loss weight of the auxiliary head at 2/3 depth (0 = no aux head)
 * @param dropoutKeepProb  keep probability of dropout before the final classifier (1 = off)
 */
public record NetworkOptions(IUpdater updater, double weightDecay, long seed, double bnEps, double bnDecay,
                             double dropPathKeepProb, long dropPathSteps, double auxHeadWeight,
                             double dropoutKeepProb) {

    public NetworkOptions {
        Objects.requireNonNull(updater, "updater");
        if (dropPathKeepProb <= 0 || dropPathKeepProb > 1) {
            throw new IllegalArgumentException("drop-path keep probability must be in (0, 1], got " + dropPathKeepProb);
        }
        if (dropPathKeepProb < 1 && dropPathSteps < 1) {
            throw new IllegalArgumentException("ScheduledDropPath needs the number of training steps, got " + dropPathSteps);
        }
        if (dropoutKeepProb <= 0 || dropoutKeepProb > 1) {
            throw new IllegalArgumentException("dropout keep probability must be in (0, 1], got " + dropoutKeepProb);
        }
        if (auxHeadWeight < 0) {
            throw new IllegalArgumentException("aux head weight must be >= 0, got " + auxHeadWeight);
        }
    }

    /** A search child: SGD with momentum 0.9 at the given rate, L2, no drop-path, no aux head. */
    public static NetworkOptions search(double learningRate, double weightDecay, long seed) {
        return new NetworkOptions(new Nesterovs(learningRate, 0.9), weightDecay, seed, 1e-3, 0.9, 1.0, 0, 0.0, 1.0);
    }

    public boolean auxHead() {
        return auxHeadWeight > 0;
    }

    public NetworkOptions withUpdater(IUpdater u) {
        return new NetworkOptions(u, weightDecay, seed, bnEps, bnDecay, dropPathKeepProb, dropPathSteps, auxHeadWeight,
                dropoutKeepProb);
    }

    public NetworkOptions withDropPath(double keepProb, long steps) {
        return new NetworkOptions(updater, weightDecay, seed, bnEps, bnDecay, keepProb, steps, auxHeadWeight,
                dropoutKeepProb);
    }

    public NetworkOptions withAuxHead(double weight) {
        return new NetworkOptions(updater, weightDecay, seed, bnEps, bnDecay, dropPathKeepProb, dropPathSteps, weight,
                dropoutKeepProb);
    }

    public NetworkOptions withDropout(double keepProb) {
        return new NetworkOptions(updater, weightDecay, seed, bnEps, bnDecay, dropPathKeepProb, dropPathSteps,
                auxHeadWeight, keepProb);
    }
}
