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
 * @param evaluations validation evaluations over the training, at evenly spaced steps, the last at
 *                    the end; 0 = one after every epoch
 * @param meanLastK   {@link ChildMeasures#accuracyMean()} averages the last k evaluations (0 = all)
 * @param reward      the measurement the reward is ({@code search.reward})
 * @param zeroCost    whether the child's {@link ZeroCost} scores are computed before it trains
 */
public record ChildSettings(int n, int f, int epochs, int batchSize, double learningRate, double weightDecay,
                            int rewardLastK, int padCrop, boolean flip, long memoryLimit, SizeReward size,
                            int evaluations, int meanLastK, RewardDefinition reward, boolean zeroCost)
        implements java.io.Serializable {

    /**
     * The {@code child.*} keys of the {@code nasnet} configuration {@code c}, and {@code search.reward}
     * (the definition every child's reward is made of), validated.
     */
    public static ChildSettings from(com.typesafe.config.Config c) {
        return new ChildSettings(c.getInt("child.n"), c.getInt("child.f"), c.getInt("child.epochs"),
                c.getInt("child.batch-size"), c.getDouble("child.learning-rate"), c.getDouble("child.weight-decay"),
                c.getInt("child.reward-last-k"), c.getInt("child.pad-crop"), c.getBoolean("child.flip"),
                c.getBytes("child.memory-limit"), new SizeReward(c.getLong("child.size-target"),
                SizeReward.Measure.parse(c.getString("child.size-measure")), c.getInt("child.size-final-n"),
                c.getInt("child.size-final-f"), c.getDouble("child.size-weight")),
                c.getInt("child.evaluations"), c.getInt("child.mean-last-k"),
                RewardDefinition.parse(c.getString("search.reward")), c.getBoolean("child.zero-cost"));
    }

    /** Settings whose reward is the accuracy alone, evaluated after every epoch, no zero-cost scores. */
    public ChildSettings(int n, int f, int epochs, int batchSize, double learningRate, double weightDecay,
                         int rewardLastK, int padCrop, boolean flip, long memoryLimit) {
        this(n, f, epochs, batchSize, learningRate, weightDecay, rewardLastK, padCrop, flip, memoryLimit, SizeReward.OFF,
                0, 0, RewardDefinition.ACCURACY, false);
    }

    public ChildSettings {
        requireCommon("child", n, f, epochs, batchSize, learningRate, weightDecay, padCrop);
        require(evaluations >= 0, "child", "evaluations", evaluations);
        int count = evaluations == 0 ? epochs : evaluations;
        if (rewardLastK < 1 || rewardLastK > count) {
            throw new IllegalArgumentException("child.reward-last-k = " + rewardLastK + " must be between 1 and "
                    + "the child's " + count + " evaluation(s) (child.evaluations, or one per epoch: child.epochs = "
                    + epochs + "; the reward is the best of the last k): set it too, e.g. "
                    + "--set child.reward-last-k=" + Math.max(1, Math.min(rewardLastK, count)));
        }
        if (meanLastK < 0 || meanLastK > count) {
            throw new IllegalArgumentException("child.mean-last-k = " + meanLastK + " must be between 0 (all) and the "
                    + "child's " + count + " evaluation(s) (child.evaluations, or one per epoch)");
        }
        require(memoryLimit >= 0, "child", "memory-limit", memoryLimit);
        java.util.Objects.requireNonNull(size, "size");
        java.util.Objects.requireNonNull(reward, "reward");
    }

    /** The validation evaluations a child makes. */
    public int evaluationCount() {
        return evaluations == 0 ? epochs : evaluations;
    }

    /**
     * Whether the child evaluates after {@code done} of its {@code total} steps ({@code perEpoch} a
     * epoch): after every epoch, or at the steps nearest to evenly spaced fractions of the training.
     */
    public boolean evaluatesAfter(long done, long total, int perEpoch) {
        if (evaluations == 0) {
            return done % perEpoch == 0;
        }
        return done == total || (done * evaluations) / total > ((done - 1) * evaluations) / total;
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
    public static final java.util.Map<String, String> BUDGET_KEYS = java.util.Map.ofEntries(
            java.util.Map.entry("n", "child.n"), java.util.Map.entry("f", "child.f"),
            java.util.Map.entry("epochs", "child.epochs"), java.util.Map.entry("batch", "child.batch-size"),
            java.util.Map.entry("lr", "child.learning-rate"), java.util.Map.entry("wd", "child.weight-decay"),
            java.util.Map.entry("lastk", "child.reward-last-k"), java.util.Map.entry("crop", "child.pad-crop"),
            java.util.Map.entry("flip", "child.flip"), java.util.Map.entry("size", "child.size-*"),
            java.util.Map.entry("evals", "child.evaluations"), java.util.Map.entry("meank", "child.mean-last-k"),
            java.util.Map.entry("reward", "search.reward"));

    /** A short text of everything that decides a child's reward, so equal budgets can share results. */
    public String budgetKey() {
        return "n=" + n + ",f=" + f + ",epochs=" + epochs + ",batch=" + batchSize + ",lr=" + learningRate
                + ",wd=" + weightDecay + ",lastk=" + rewardLastK + ",crop=" + padCrop + ",flip=" + flip
                + (size.on() ? ",size=" + size.key() : "")
                + (evaluations == 0 ? "" : ",evals=" + evaluations)
                + (reward == RewardDefinition.ACCURACY ? "" : ",reward=" + reward.key())
                + (reward == RewardDefinition.ACCURACY_MEAN ? ",meank=" + meanLastK : "");
    }
}
