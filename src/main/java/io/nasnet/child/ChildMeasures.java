package io.nasnet.child;

import java.io.Serializable;

/**
 * What a child measured besides its accuracy, so that every {@link RewardDefinition} can be read
 * from the same children. NaN where it was not measured (a failed child, a row of an older table).
 *
 * @param accuracyMean   mean validation accuracy of the last {@code child.mean-last-k} evaluations
 * @param validationLoss mean cross-entropy on the validation images at the last evaluation
 * @param trainLossArea  mean training loss over every step of the training: the area under the
 *                       training-loss curve, per step
 * @param zeroCost       scores of the untrained network
 */
public record ChildMeasures(double accuracyMean, double validationLoss, double trainLossArea, ZeroCost zeroCost)
        implements Serializable {

    public static final ChildMeasures NONE = new ChildMeasures(Double.NaN, Double.NaN, Double.NaN, ZeroCost.NONE);

    public ChildMeasures {
        java.util.Objects.requireNonNull(zeroCost, "zeroCost");
    }

    public ChildMeasures withZeroCost(ZeroCost z) {
        return new ChildMeasures(accuracyMean, validationLoss, trainLossArea, z);
    }
}
