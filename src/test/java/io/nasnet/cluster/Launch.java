package io.nasnet.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command of the integration tests (spark-submit, jobs/submit-yarn.sh) as its own process, its output in a log. */
record Launch(Process process, Path log) {

    static Launch start(List<String> command, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new Launch(pb.start(), log);
    }

    /** Waits for the exit code; a command still running after the timeout is killed and fails the test. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("still running after " + timeout + "; the end of " + log + ":\n"
                    + LocalCluster.tail(log, 60));
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The exit code (or "running"), with the log's end. */
    String describe() {
        return (process.isAlive() ? "running" : "exit " + process.exitValue()) + "; the end of " + log + ":\n" + LocalCluster.tail(log, 60);
    }
}
