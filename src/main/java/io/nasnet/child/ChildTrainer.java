package io.nasnet.child;

import io.nasnet.data.ImageDataset;

/**
 * Trains one child and reports it. Implementations are pure and seeded: the same spec and data
 * give the same result, and a failure is a {@link Status}, never an exception.
 */
public interface ChildTrainer {
    ChildResult train(ChildSpec spec, ImageDataset data);
}
