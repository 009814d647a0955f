package io.nasnet.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** How often Spark tries a task, which decides when an out-of-memory child counts as the architecture's. */
class ExecutorSideTest {

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

    @Test
    void anExecutorSizedForJemallocWhoseNodeLacksItFailsItsTaskAsTheEnvironmentsFault() {
        String preload = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
        assertThatThrownBy(() -> ExecutorSide.checkAllocator(preload, "glibc"))
                .isInstanceOf(io.nasnet.child.Failures.EnvironmentException.class)
                .hasMessageContaining("was sized for jemalloc, but LD_PRELOAD=" + preload + " did not load")
                .hasMessageContaining("libjemalloc2");
        assertThat(io.nasnet.child.Failures.classify(catchThrowable(() -> ExecutorSide.checkAllocator(preload, "glibc"))))
                .isEqualTo(io.nasnet.child.Failures.Kind.ENVIRONMENT);
        ExecutorSide.checkAllocator(preload, "jemalloc");
        ExecutorSide.checkAllocator(null, "glibc");
    }
}
