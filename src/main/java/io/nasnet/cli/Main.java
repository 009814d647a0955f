package io.nasnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nasnet <command>}: the entry point of the jar, locally and under spark-submit. */
@Command(name = "nasnet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Neural architecture search (NASNet) on Apache Spark and Deeplearning4j.",
        subcommands = {SearchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"nasnet-spark " + io.nasnet.history.HistoryRecord.projectVersion()};
        }
    }
}
