package io.nasnet.search;

import io.nasnet.child.MemoryProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Executor sizes from a measured child: the arithmetic, and what is refused with what message. */
class ExecutorPlanTest {

    static final long MIB = 1L << 20;
    /** 1,000 MiB per child, 300 MiB of native memory before it. */
    static final MemoryProbe.Measurement CHILD = new MemoryProbe.Measurement(1000 * MIB, 300 * MIB, "jemalloc",
            "g", 1, 8, 32, 12);

    @Test
    void eachCoreTrainsAChildAndTheOverheadHoldsThemWithAMarginAboveTheBase() {
        ExecutorPlan p = ExecutorPlan.of(CHILD, 200 * MIB, 4, 0);
        assertThat(p.children()).isEqualTo(4);
        // 300 + 4 x 1000 x 1.25 = 5300 MiB, rounded up to 256 MiB steps: 5376
        assertThat(p.overheadBytes()).isEqualTo(5376 * MIB);
        // 512 + 2 x 200 + 4 x 128 = 1424 MiB -> 1536
        assertThat(p.heapBytes()).isEqualTo(1536 * MIB);
        assertThat(p.containerBytes()).isEqualTo(6912 * MIB);
        assertThat(p.sparkSettings()).containsEntry("spark.executor.memory", "1536m")
                .containsEntry("spark.executor.memoryOverhead", "5376m").containsEntry("spark.executor.cores", "4")
                .containsEntry("spark.task.cpus", "1");
        assertThat(p.refusal(0, 0, 0)).isEmpty();

        // GPU executors: one child per GPU, the cores shared among them
        ExecutorPlan gpu = ExecutorPlan.of(CHILD, 0, 8, 2);
        assertThat(gpu.children()).isEqualTo(2);
        assertThat(gpu.sparkSettings()).containsEntry("spark.task.cpus", "4");
        assertThat(gpu.heapBytes()).as("at least 1 GiB").isEqualTo(1024 * MIB);
    }

    @Test
    void aContainerOrAMemorySettingTooSmallIsRefusedWithTheNeedAndWhatFits() {
        ExecutorPlan p = ExecutorPlan.of(CHILD, 0, 4, 0);
        assertThat(p.childrenThatFit(p.containerBytes())).isEqualTo(4);
        assertThat(p.childrenThatFit(p.containerBytes() - 1)).isEqualTo(3);
        assertThat(p.refusal(4096 * MIB, 0, 0)).hasValueSatisfying(r -> assertThat(r)
                .contains("4 child(ren) at once need 1.07 GB of heap and 5.64 GB beyond it")
                .contains("1.05 GB per child (N=1, F=8, batch 32, jemalloc)")
                .contains("the largest container is 4.29 GB: at most 2 child(ren) per executor fit (executor cores 2)"));
        assertThat(p.refusal(1500 * MIB, 0, 0)).hasValueSatisfying(r -> assertThat(r)
                .contains("not even one child fits"));
        assertThat(p.refusal(0, 0, 2 * 1024 * MIB)).hasValueSatisfying(r -> assertThat(r)
                .contains("the executor's 2.15 GB beyond the heap holds 1 child(ren) at once"));
        assertThat(p.refusal(0, 0, 1024 * MIB)).hasValueSatisfying(r -> assertThat(r).contains("cannot hold one child"));
        assertThat(p.refusal(0, 512 * MIB, 0)).hasValueSatisfying(r -> assertThat(r)
                .contains("the executor's heap of 537 MB is below that"));
        assertThat(p.refusal(p.containerBytes(), p.heapBytes(), p.overheadBytes())).isEmpty();
    }
}
