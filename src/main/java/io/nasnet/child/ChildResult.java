package io.nasnet.child;

import io.nasnet.child.runtime.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * What training a child produced: the reward the controller learns from and what a user wants to
 * know about the run. Every spec yields exactly one result, whatever happened.
 *
 * @param reward             what the controller learns from: the {@link RewardDefinition} the settings name
 *                           (the accuracy by default), times the size factor of a
 *                           {@link SizeReward} when one is set (0 unless OK or CACHED)
 * @param validationAccuracy at each evaluation (one per epoch unless {@code child.evaluations} says otherwise)
 * @param trainLoss          mean training loss of the last epoch run
 * @param imagesPerSecond    training images per second (validation excluded)
 * @param peakRssBytes       peak resident memory of the process while the child trained
 * @param accuracy           the validation accuracy the reward was made of (best of the last k evaluations)
 * @param rewardSize         the size a {@link SizeReward} weighed (0 when none is set)
 * @param measures           every other measurement a {@link RewardDefinition} may be made of, and the zero-cost scores
 */
public record ChildResult(ChildSpec spec, Status status, double reward, List<Double> validationAccuracy,
                          double trainLoss, long params, long multAdds, int epochs, double trainSeconds,
                          double imagesPerSecond, long peakRssBytes, String host, String gpu, String error,
                          double accuracy, long rewardSize, ChildMeasures measures)
        implements Serializable {

    public ChildResult {
        validationAccuracy = List.copyOf(validationAccuracy);
        java.util.Objects.requireNonNull(measures, "measures");
    }

    /** A result for a child that produced nothing but an error, on this host. */
    public static ChildResult failed(ChildSpec spec, String error) {
        return new ChildResult(spec, Status.FAILED, 0, List.of(), Double.NaN, 0, 0, 0, 0, 0, 0, Backend.host(), "", error,
                0, 0, ChildMeasures.NONE);
    }
}
