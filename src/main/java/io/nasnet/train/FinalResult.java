package io.nasnet.train;

import java.util.List;

/**
 * What a final training produced: its test accuracy (the test set seen once, at the end), its
 * size and cost, and where the model is.
 *
 * @param resumedAt epochs already done when this run started (0 = from scratch)
 */
public record FinalResult(String archId, String genotype, FinalSettings settings, String label,
                          List<EpochStats> epochs, int resumedAt, double testAccuracy, long params, long multAdds,
                          double trainSeconds, String modelPath) {
}
