package io.nasnet.child;

/** How a child's evaluation ended. */
public enum Status {
    /** Trained; the reward is its validation accuracy. */
    OK,
    /** Loss became NaN or infinite; stopped early, reward 0. */
    DIVERGED,
    /** Training threw (out of memory, a bad genotype, ...); reward 0, the message kept. */
    FAILED,
    /** Already evaluated in this search at the same budget; the reward is reused. */
    CACHED
}
