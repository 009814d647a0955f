package io.nasnet.search;

import io.nasnet.child.ChildSpec;
import io.nasnet.child.ChildTrainer;
import io.nasnet.data.ImageDataset;

/** A test double's trainer written as a lambda: it trains whole proxies, never in rungs. */
@FunctionalInterface
interface WholeProxy extends ChildTrainer {

    @Override
    default Progress trainUntil(ChildSpec spec, ImageDataset data, byte[] from, long untilStep) {
        throw new UnsupportedOperationException("this test double trains whole proxies only, not in rungs");
    }
}
