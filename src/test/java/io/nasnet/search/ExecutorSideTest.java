package io.nasnet.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An executor whose backend is not the one the job asks for fails its task before training, saying why. */
class ExecutorSideTest {

    @Test
    void aBackendThatDoesNotMatchTheTasksResourcesIsNamed() {
        assertThat(ExecutorSide.backendMismatch("CPU", false)).isEmpty();
        assertThat(ExecutorSide.backendMismatch("CUDA", true)).isEmpty();
        assertThat(ExecutorSide.backendMismatch("CPU", true)).get().asString()
                .contains("given a GPU").contains("-Pcluster,cuda").contains("GPUS_PER_EXECUTOR=0");
        assertThat(ExecutorSide.backendMismatch("CUDA", false)).get().asString()
                .contains("backend is CUDA").contains("spark.task.resource.gpu.amount");
    }

    @Test
    void aBackendThatDoesNotLoadNamesTheLibrariesItNeeds() {
        assertThat(ExecutorSide.loadedBackend(() -> "CPU")).isEqualTo("CPU");
        assertThatThrownBy(() -> ExecutorSide.loadedBackend(() -> {
            throw new RuntimeException("backend", new UnsatisfiedLinkError("libcudart.so.11.0: cannot open shared object file"));
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not load on executor host")
                .hasMessageContaining("libcudart.so.11.0: cannot open shared object file")
                .hasMessageContaining("CUDA 11.6 runtime");
    }

    @Test
    void aTaskIsTriedAsOftenAsTheMasterTriesIt() {
        assertThat(ExecutorSide.maxAttempts(new org.apache.spark.SparkConf(false).set("spark.master", "local[2]")))
                .isEqualTo(1);
        assertThat(ExecutorSide.maxAttempts(new org.apache.spark.SparkConf(false).set("spark.master", "local[2, 3]")))
                .isEqualTo(3);
        assertThat(ExecutorSide.maxAttempts(new org.apache.spark.SparkConf(false).set("spark.master", "yarn")))
                .isEqualTo(4);
        assertThat(ExecutorSide.maxAttempts(new org.apache.spark.SparkConf(false).set("spark.master", "spark://m:7077")
                .set("spark.task.maxFailures", "8"))).isEqualTo(8);
    }
}
