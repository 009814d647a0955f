package io.nasnet.child;

import io.nasnet.data.ImageDataset;

/**
 * Trains one child and reports it. Implementations are pure and seeded: the same spec and data
 * give the same result, and a failure is a {@link Status}, never an exception.
 */
public interface ChildTrainer {

    /** Trains the child through its whole proxy budget. */
    ChildResult train(ChildSpec spec, ImageDataset data);

    /**
     * Trains the child up to step {@code untilStep} of its proxy ({@link Rungs}), from {@code from}, the
     * state an earlier call saved (null: from scratch). Training in pieces ends exactly where training in
     * one go does: the result at the last step equals {@link #train}'s.
     */
    Progress trainUntil(ChildSpec spec, ImageDataset data, byte[] from, long untilStep);

    /**
     * A child trained up to a step: its result there (the reward is its validation accuracy at that
     * step, or at the end as {@link #train} gives it) and the state to go on from (null at the end or
     * after a failure).
     */
    record Progress(ChildResult result, byte[] state) {
    }
}
