package io.nasnet.child;

import io.nasnet.child.runtime.NativeMemory;

/**
 * How a search child is trained: the paper's setting (SGD with Nesterov momentum 0.9, cosine
 * learning-rate decay, L2 weight decay, reward = validation accuracy) scaled to a proxy budget.
 *
 * @param n           normal cells per stack (the paper searches with N = 2)
 * @param f           filters of the first stack
 * @param rewardLastK reward = max validation accuracy over the last k epochs (1 = final epoch)
 * @param padCrop     pixels of zero padding before the random crop (0 = no crop)
 * @param flip        random horizontal flips
 * @param memoryLimit bytes of resident memory this child may keep its JVM at ({@link NativeMemory});
 *                    0 = no limit. It costs some speed and never changes results.
 */
public record TrainSettings(int n, int f, int epochs, int batchSize, double learningRate, double weightDecay,
                            int rewardLastK, int padCrop, boolean flip, long memoryLimit) implements java.io.Serializable {

    public TrainSettings {
        check(n >= 1, "n", n);
        check(f >= 2, "f", f);
        check(epochs >= 1, "epochs", epochs);
        check(batchSize >= 2, "batch-size", batchSize);
        check(learningRate > 0, "learning-rate", learningRate);
        check(weightDecay >= 0, "weight-decay", weightDecay);
        check(rewardLastK >= 1 && rewardLastK <= epochs, "reward-last-k (1..epochs)", rewardLastK);
        check(padCrop >= 0, "pad-crop", padCrop);
        check(memoryLimit >= 0, "memory-limit", memoryLimit);
    }

    private static void check(boolean ok, String key, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("child." + key + ": invalid value " + value);
        }
    }

    /** A short text of everything that decides a child's reward, so equal budgets can share results. */
    public String budgetKey() {
        return "n=" + n + ",f=" + f + ",epochs=" + epochs + ",batch=" + batchSize + ",lr=" + learningRate
                + ",wd=" + weightDecay + ",lastk=" + rewardLastK + ",crop=" + padCrop + ",flip=" + flip;
    }
}
