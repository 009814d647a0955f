package io.nasnet.child;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which measurement of a trained child its reward is ({@code search.reward}). Every child records
 * all of them ({@link ChildMeasures}), so studies compare the definitions on the same children; a
 * search's strategy learns from one. Each is "higher is better" and in [0, 1], so a failed child's
 * reward of 0 stays the worst: a loss L becomes exp(-L), the geometric mean of the probability the
 * network gives the true class.
 */
public enum RewardDefinition {
    /** The validation accuracy, best of the last {@code child.reward-last-k} evaluations: the paper's reward. */
    ACCURACY("accuracy", "accuracy"),
    /** The mean validation accuracy of the last {@code child.mean-last-k} evaluations. */
    ACCURACY_MEAN("accuracy-mean", "accuracy_mean"),
    /** exp(-validation cross-entropy) at the last evaluation. */
    VALIDATION_LOSS("validation-loss", "validation_loss"),
    /** exp(-mean training loss over every step): the area under the training-loss curve per step (Ru et al. 2021). */
    TRAIN_LOSS_AREA("train-loss-area", "train_loss_area");

    private final String key;
    private final String column;

    RewardDefinition(String key, String column) {
        this.key = key;
        this.column = column;
    }

    /** The name {@code search.reward} takes. */
    public String key() {
        return key;
    }

    /** The history table's column that holds this definition's measurement. */
    public String column() {
        return column;
    }

    /**
     * The reward of a child whose measurements are {@code accuracy} and {@code m}; NaN when the
     * measurement is missing (a row of a table written before the definition existed).
     */
    public double of(double accuracy, ChildMeasures m) {
        return switch (this) {
            case ACCURACY -> accuracy;
            case ACCURACY_MEAN -> m.accuracyMean();
            case VALIDATION_LOSS -> Math.exp(-m.validationLoss());
            case TRAIN_LOSS_AREA -> Math.exp(-m.trainLossArea());
        };
    }

    public static RewardDefinition parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (RewardDefinition d : values()) {
            if (d.key.equals(k)) {
                return d;
            }
        }
        throw new IllegalArgumentException("search.reward: '" + s + "' is not one of " + known());
    }

    /** The keys, comma-separated. */
    public static String known() {
        return Arrays.stream(values()).map(RewardDefinition::key).collect(Collectors.joining(", "));
    }
}
