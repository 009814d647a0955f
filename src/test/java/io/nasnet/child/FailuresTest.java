package io.nasnet.child;

import io.nasnet.data.DatasetException;
import io.nasnet.space.InvalidGenotypeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static io.nasnet.child.Failures.Kind.ARCHITECTURE;
import static io.nasnet.child.Failures.Kind.EITHER;
import static io.nasnet.child.Failures.Kind.ENVIRONMENT;
import static org.assertj.core.api.Assertions.assertThat;

/** Each class of failure, and when a failure becomes the child's row. */
class FailuresTest {

    @Test
    void theEnvironmentsFailuresAreNamedSoThroughTheirCauses() {
        assertThat(Failures.classify(new DatasetException("missing dataset file x"))).isEqualTo(ENVIRONMENT);
        assertThat(Failures.classify(new UncheckedIOException(new IOException("No space left on device"))))
                .isEqualTo(ENVIRONMENT);
        assertThat(Failures.classify(new RuntimeException("wrapped", new IOException("connection refused"))))
                .isEqualTo(ENVIRONMENT);
        assertThat(Failures.classify(new UnsatisfiedLinkError("libcudart.so.11.0"))).isEqualTo(ENVIRONMENT);
        assertThat(Failures.classify(new Failures.EnvironmentException("backend", null))).isEqualTo(ENVIRONMENT);
    }

    @Test
    void memoryCouldBeEitherAndTheRestIsTheArchitectures() {
        assertThat(Failures.classify(new OutOfMemoryError("Java heap space"))).isEqualTo(EITHER);
        assertThat(Failures.classify(new RuntimeException(new OutOfMemoryError("Physical memory usage is too high"))))
                .isEqualTo(EITHER);
        assertThat(Failures.classify(new IllegalArgumentException("batch size 64 exceeds the 32 training images")))
                .isEqualTo(ARCHITECTURE);
        assertThat(Failures.classify(new InvalidGenotypeException("block 2 reads state 7"))).isEqualTo(ARCHITECTURE);
    }

    @Test
    void aFailureBecomesTheChildsRowOnlyWhenItIsTheArchitectures() {
        assertThat(Failures.isTheArchitectures(ARCHITECTURE, 0, 4)).isTrue();
        assertThat(Failures.isTheArchitectures(ENVIRONMENT, 3, 4)).as("never, even on the last attempt").isFalse();
        assertThat(Failures.isTheArchitectures(EITHER, 2, 4)).as("retried").isFalse();
        assertThat(Failures.isTheArchitectures(EITHER, 3, 4)).as("the same on every attempt").isTrue();
        assertThat(Failures.isTheArchitectures(EITHER, 0, 1)).as("local mode: one attempt").isTrue();
    }
}
