package io.nasnet.child;

import java.io.Serializable;
import java.util.Locale;

/**
 * A reward for the best cell under a size: accuracy x (size / target)^weight, MnasNet's soft
 * constraint (Tan et al., CVPR 2019, weight -0.07), with the size in parameters or multiply-adds of
 * the child itself or of a stated final network built of the same cells ({@code finalN} normal cells
 * per stack, {@code finalF} filters). A target of 0 leaves the reward the accuracy.
 */
public record SizeReward(long target, Measure measure, int finalN, int finalF, double weight) implements Serializable {

    /** What counts as a network's size. */
    public enum Measure {
        PARAMS, MULT_ADDS;

        public static Measure parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "params" -> PARAMS;
                case "mult-adds" -> MULT_ADDS;
                default -> throw new IllegalArgumentException("child.size-measure: '" + s + "' is not one of params, mult-adds");
            };
        }

        public long of(Complexity c) {
            return this == PARAMS ? c.params() : c.multAdds();
        }

        @Override
        public String toString() {
            return this == PARAMS ? "params" : "mult-adds";
        }
    }

    public static final SizeReward OFF = new SizeReward(0, Measure.PARAMS, 0, 0, -0.07);

    public SizeReward {
        ChildSettings.require(target >= 0, "child", "size-target", target);
        ChildSettings.require(finalN >= 0, "child", "size-final-n", finalN);
        ChildSettings.require(finalN == 0 || finalF >= 2, "child", "size-final-f (>= 2 with size-final-n)", finalF);
        ChildSettings.require(Double.isFinite(weight) && weight < 0, "child", "size-weight (< 0)", weight);
    }

    public boolean on() {
        return target > 0;
    }

    /** Whether the size is the final network's rather than the child's. */
    public boolean ofFinalNetwork() {
        return finalN > 0;
    }

    /** (size / target)^weight; 1 when off. */
    public double factor(long size) {
        return on() ? Math.pow((double) size / target, weight) : 1;
    }

    /** The budget key's part for it: a reward under another constraint does not compare. */
    public String key() {
        return measure + (ofFinalNetwork() ? "@n" + finalN + "f" + finalF : "") + "/" + target + "^" + weight;
    }
}
