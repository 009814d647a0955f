package io.nasnet.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failed command tells the YARN ApplicationMaster it runs in: a refusal (a command line or a
 * configuration another attempt would refuse again) is told apart from a failure that another
 * attempt may get past.
 */
class MainTest {

    static Main.Outcome execute(String... args) {
        return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    }

    @Test
    void aRefusalIsToldApartFromAFailureAnotherAttemptMayGetPast() {
        assertThat(execute("search", "--no-such-option")).isEqualTo(new Main.Outcome(2, true));
        assertThat(execute("plan", "--conf", "conf/local.conf", "--format", "xml").refusal()).as("a bad value").isTrue();
        Main.Outcome config = execute("check", "--conf", "conf/local.conf", "--set", "child.reward-last-k=99");
        assertThat(config.code()).isNotZero();
        assertThat(config.refusal()).as("a configuration refused").isTrue();
        assertThat(execute("--version")).isEqualTo(new Main.Outcome(0, false));
        // what another attempt may get past is not a refusal
        assertThat(Main.isRefusal(new io.nasnet.config.ConfigException("child.epochs: must be >= 1"))).isTrue();
        assertThat(Main.isRefusal(new io.nasnet.data.DatasetException("truncated file"))).isTrue();
        assertThat(Main.isRefusal(new IllegalStateException("search s is being run by host h pid 7"))).isFalse();
        assertThat(Main.isRefusal(new org.apache.spark.SparkException("Job aborted: executor lost"))).isFalse();
    }
}
