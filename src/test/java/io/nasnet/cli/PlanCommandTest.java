package io.nasnet.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nasnet plan} on a gateway: it measures a child on images of the dataset's shape, so it needs
 * nothing of a CIFAR-10 folder it cannot reach, and its exit code and message say what failed.
 */
class PlanCommandTest {

    @Test
    void aCifarPlanNeedsNothingOfTheDatasetAndAFailureSaysWhatFailed() {
        Commands.Result cifar = Commands.run("plan", "--conf", "conf/local.conf", "--format", "env",
                "--set", "data.path=hdfs://nowhere.invalid:8020/data/cifar-10-batches-bin", "--set", "data.format=cifar10",
                "--set", "data.validation=5000");
        assertThat(cifar.code()).as(cifar.err()).isZero();
        assertThat(cifar.out()).containsPattern("(?m)^EXECUTOR_MEMORY=[0-9]+m$").containsPattern("(?m)^EXECUTOR_OFFHEAP=[0-9]+m$");

        assertFails(PlanCommand.CONFIGURATION, "error: the configuration: ", "reward-last-k",
                "--set", "child.reward-last-k=99");
        assertFails(PlanCommand.CONFIGURATION, "error: the configuration: ", "'lots' is not a size such as 4g or 512m",
                "--largest-container", "lots");
        assertFails(PlanCommand.DATA, "error: the data: ", "target/no-such-dataset",
                "--set", "data.path=target/no-such-dataset");
        assertFails(PlanCommand.MEMORY, "error: the memory: ", "", "--largest-container", "64m");
    }

    /** {@code plan} of conf/local.conf with {@code more} exits {@code code}, its error saying what failed. */
    private static void assertFails(int code, String what, String detail, String... more) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("plan", "--conf", "conf/local.conf"),
                java.util.Arrays.stream(more)).toArray(String[]::new);
        Commands.Result r = Commands.run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith(what).contains(detail);
    }
}
