package io.nasnet.child;

import io.nasnet.Slow;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twenty children in a row in one JVM, started with the allocator and JVM options the scripts give
 * executors (jobs/allocator.sh, jobs/java17.sh): every child's peak is within 10% of the first's. The
 * heap is fixed and resident from the start (-Xms = -Xmx, pre-touched), as an executor's is once it
 * has run a while, so that what moves is the children's native memory, so an executor sized for
 * one child at its start (nasnet plan) still holds its children at the end of a night.
 */
@Slow
class ChildrenInARowTest {

    static final int CHILDREN = 20;

    @Test
    void twentyChildrenInOneJvmPeakWithinTenPercentOfTheFirst() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cmd = ". jobs/java17.sh && . jobs/allocator.sh && nasnet_preload && exec \"$0\" $NATIVE_ACCESS -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp \"$1\" "
                + ChildrenInARow.class.getName() + " " + CHILDREN;
        Process p = new ProcessBuilder("bash", "-c", cmd, java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("the executors' allocator (jobs/allocator.sh installs libjemalloc2)")
                .contains("allocator jemalloc");
        List<Long> peaks = new ArrayList<>();
        out.lines().filter(l -> l.startsWith("child ")).forEach(l -> peaks.add(Long.parseLong(l.split(" ")[3])));
        assertThat(peaks).hasSize(CHILDREN);
        long first = peaks.get(0);
        assertThat(peaks).as("peak RSS of each child, bytes").allSatisfy(peak -> assertThat(peak).isLessThanOrEqualTo(
                (long) (first * 1.10)));
        System.out.printf("20 children in a row: first peak %.0f MB, last %.0f MB, largest %.0f MB%n", first / 1e6,
                peaks.get(CHILDREN - 1) / 1e6, peaks.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6);
    }
}
