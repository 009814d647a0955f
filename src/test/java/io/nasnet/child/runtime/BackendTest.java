package io.nasnet.child.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A backend that does not fit the task or does not load fails it before training, saying why. */
class BackendTest {

    @Test
    void aBackendThatDoesNotMatchTheTasksResourcesIsNamed() {
        assertThat(Backend.backendMismatch("CPU", false)).isEmpty();
        assertThat(Backend.backendMismatch("CUDA", true)).isEmpty();
        assertThat(Backend.backendMismatch("CPU", true)).get().asString()
                .contains("given a GPU").contains("-Pcluster,cuda").contains("GPUS_PER_EXECUTOR=0");
        assertThat(Backend.backendMismatch("CUDA", false)).get().asString()
                .contains("backend is CUDA").contains("spark.task.resource.gpu.amount");
    }

    @Test
    void aBackendThatDoesNotLoadNamesTheLibrariesItNeeds() {
        assertThat(Backend.loadedBackend(() -> "CPU")).isEqualTo("CPU");
        assertThatThrownBy(() -> Backend.loadedBackend(() -> {
            throw new RuntimeException("backend", new UnsatisfiedLinkError("libcudart.so.11.0: cannot open shared object file"));
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not load on executor host")
                .hasMessageContaining("libcudart.so.11.0: cannot open shared object file")
                .hasMessageContaining("CUDA 11.6 runtime");
    }
}
