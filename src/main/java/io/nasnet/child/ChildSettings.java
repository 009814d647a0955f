package io.nasnet.child;


/**
 * How a search child is trained: the paper's setting (SGD with Nesterov momentum 0.9, cosine
 * learning-rate decay, L2 weight decay, reward = validation accuracy) scaled to a proxy budget.
 *
 * @param n           normal cells per stack (the paper searches with N = 2)
 * @param f           filters of the first stack
 * @param rewardLastK reward = max validation accuracy over the last k epochs (1 = final epoch)
 * @param padCrop     pixels of zero padding before the random crop (0 = no crop)
 * @param flip        random horizontal flips
 * @param memoryLimit bytes of resident memory this child may keep its JVM at ({@link io.nasnet.child.runtime.NativeMemory});
 *                    0 = no limit. It costs some speed and never changes results.
 * @param size        the size-aware reward ({@link SizeReward#OFF}: the reward is the accuracy)
 */
public record ChildSettings(int n, int f, int epochs, int batchSize, double learningRate, double weightDecay,
                            int rewardLastK, int padCrop, boolean flip, long memoryLimit, SizeReward size)
        implements java.io.Serializable {

    /** Settings whose reward is the accuracy alone. */
    public ChildSettings(int n, int f, int epochs, int batchSize, double learningRate, double weightDecay,
                         int rewardLastK, int padCrop, boolean flip, long memoryLimit) {
        this(n, f, epochs, batchSize, learningRate, weightDecay, rewardLastK, padCrop, flip, memoryLimit, SizeReward.OFF);
    }

    public ChildSettings {
        requireCommon("child", n, f, epochs, batchSize, learningRate, weightDecay, padCrop);
        if (rewardLastK < 1 || rewardLastK > epochs) {
            throw new IllegalArgumentException("child.reward-last-k = " + rewardLastK + " must be between 1 and "
                    + "child.epochs = " + epochs + " (the reward is the best of the last k epochs): set it too, e.g. "
                    + "--set child.reward-last-k=" + Math.max(1, Math.min(rewardLastK, epochs)));
        }
        require(memoryLimit >= 0, "child", "memory-limit", memoryLimit);
        java.util.Objects.requireNonNull(size, "size");
    }

    /** The checks a search child's and a final training's settings share, named by their config section. */
    public static void requireCommon(String section, int n, int f, int epochs, int batchSize, double learningRate,
                                     double weightDecay, int padCrop) {
        require(n >= 1, section, "n", n);
        require(f >= 2, section, "f", f);
        require(epochs >= 1, section, "epochs", epochs);
        require(batchSize >= 2, section, "batch-size", batchSize);
        require(learningRate > 0, section, "learning-rate", learningRate);
        require(weightDecay >= 0, section, "weight-decay", weightDecay);
        require(padCrop >= 0, section, "pad-crop", padCrop);
    }

    /** Fails naming the key ({@code section.key}) and its value unless {@code ok}. */
    public static void require(boolean ok, String section, String key, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(section + "." + key + ": invalid value " + value);
        }
    }

    /** The training steps (minibatches) of a child on {@code trainImages} images: whole batches, every epoch. */
    public long steps(int trainImages) {
        return (long) (trainImages / batchSize) * epochs;
    }

    /** The names in {@link #budgetKey()} and the configuration keys they stand for. */
    public static final java.util.Map<String, String> BUDGET_KEYS = java.util.Map.of("n", "child.n", "f", "child.f",
            "epochs", "child.epochs", "batch", "child.batch-size", "lr", "child.learning-rate",
            "wd", "child.weight-decay", "lastk", "child.reward-last-k", "crop", "child.pad-crop", "flip", "child.flip",
            "size", "child.size-*");

    /** A short text of everything that decides a child's reward, so equal budgets can share results. */
    public String budgetKey() {
        return "n=" + n + ",f=" + f + ",epochs=" + epochs + ",batch=" + batchSize + ",lr=" + learningRate
                + ",wd=" + weightDecay + ",lastk=" + rewardLastK + ",crop=" + padCrop + ",flip=" + flip
                + (size.on() ? ",size=" + size.key() : "");
    }
}
