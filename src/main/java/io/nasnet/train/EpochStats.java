package io.nasnet.train;

/** One finished epoch of a final training. */
public record EpochStats(int epoch, double trainLoss, double validationAccuracy, double seconds) {
}
