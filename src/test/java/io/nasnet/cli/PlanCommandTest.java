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

        Commands.Result config = Commands.run("plan", "--conf", "conf/local.conf", "--set", "child.reward-last-k=99");
        assertThat(config.code()).isEqualTo(PlanCommand.CONFIGURATION);
        assertThat(config.err()).startsWith("error: the configuration: ").contains("reward-last-k");

        Commands.Result size = Commands.run("plan", "--conf", "conf/local.conf", "--largest-container", "lots");
        assertThat(size.code()).isEqualTo(PlanCommand.CONFIGURATION);
        assertThat(size.err()).contains("'lots' is not a size such as 4g or 512m");

        Commands.Result data = Commands.run("plan", "--conf", "conf/local.conf", "--set", "data.path=target/no-such-dataset");
        assertThat(data.code()).isEqualTo(PlanCommand.DATA);
        assertThat(data.err()).startsWith("error: the data: ").contains("target/no-such-dataset");

        Commands.Result memory = Commands.run("plan", "--conf", "conf/local.conf", "--largest-container", "64m");
        assertThat(memory.code()).isEqualTo(PlanCommand.MEMORY);
        assertThat(memory.err()).startsWith("error: the memory: ");
    }
}
