package io.nasnet.child;

/**
 * How cells are stacked into a network: the paper's "N @ P" (N normal cells per stack,
 * F initial filters, P = 24F penultimate filters for NASNet-A), the stem and the input.
 *
 * @param style                   CIFAR (3x3 conv stem) or ImageNet (stride-2 stem, two reduction stem cells)
 * @param n                       normal cells per stack (three stacks, two reduction cells between)
 * @param f                       filters of the first stack's cells; doubled at each reduction
 * @param stemMultiplier          stem filters = 3F (CIFAR) or 32 x this (ImageNet)
 * @param skipReductionInput      large-ImageNet wiring: a normal cell after a reduction reads the
 *                                output from before the reduction as h_{i-1}
 */
public record Stacking(Style style, int n, int f, int height, int width, int channels, int classes,
                       double stemMultiplier, boolean skipReductionInput) {

    public enum Style { CIFAR, IMAGENET }

    public Stacking {
        require(n >= 1, "n (normal cells per stack) must be >= 1, got " + n);
        require(f >= 2, "f (filters) must be >= 2, got " + f);
        require(height >= 1 && width >= 1 && channels >= 1,
                "input must be at least 1x1x1, got " + height + "x" + width + "x" + channels);
        require(classes >= 2, "classes must be >= 2, got " + classes);
        require(stemMultiplier > 0, "stem multiplier must be > 0, got " + stemMultiplier);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** CIFAR stacking: 3x3 conv stem with 3F filters. */
    public static Stacking cifar(int n, int f, int height, int width, int channels, int classes) {
        return new Stacking(Style.CIFAR, n, f, height, width, channels, classes, 3.0, false);
    }

    /** The paper's mobile ImageNet model, 4 @ 1056: F = 44, stem multiplier 1, 224x224. */
    public static Stacking imagenetMobile(int classes) {
        return new Stacking(Style.IMAGENET, 4, 44, 224, 224, 3, classes, 1.0, false);
    }

    /** The paper's large ImageNet model, 6 @ 4032: F = 168, stem multiplier 3, 331x331. */
    public static Stacking imagenetLarge(int classes) {
        return new Stacking(Style.IMAGENET, 6, 168, 331, 331, 3, classes, 3.0, true);
    }

    /** Cells in the network, stem cells included: what ScheduledDropPath scales depth by. */
    public int totalCells() {
        return 3 * n + 2 + (style == Style.IMAGENET ? 2 : 0);
    }

    /** "N @ P" with P = 24F, the paper's name for a NASNet-A size. */
    public String label() {
        return n + " @ " + (24 * f);
    }
}
