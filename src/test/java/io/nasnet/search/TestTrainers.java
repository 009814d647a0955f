package io.nasnet.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Test doubles and test data of the search package, for tests of other packages. */
public final class TestTrainers {
    private TestTrainers() {
    }

    /** The zero-cost {@link SyntheticTrainer}. */
    public static TrainerFactory synthetic() {
        return SyntheticTrainer.factory(List.of());
    }

    /** A small IDX dataset (8x8 images, 4 classes). */
    public static Path tinyData(Path dir) throws IOException {
        return TinyData.write(dir, 120, 40);
    }

    /** The same task on {@code size} x {@code size} images, big enough for the auxiliary head at 16. */
    public static Path tinyData(Path dir, int train, int test, int size) throws IOException {
        return TinyData.write(dir, train, test, size);
    }
}
