package io.nasnet.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
