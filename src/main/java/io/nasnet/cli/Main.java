package io.nasnet.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code nasnet <command>}: the entry point of the jar, locally and under spark-submit. */
@Command(name = "nasnet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Neural architecture search (NASNet) on Apache Spark and Deeplearning4j.",
        subcommands = {SearchCommand.class, SqlCommand.class, TopCommand.class, ShowCommand.class,
                ReportCommand.class, TrainCommand.class, EvaluateCommand.class, CheckCommand.class,
                CompareCommand.class, FidelityCommand.class, NoiseCommand.class, ExportCommand.class,
                PredictCommand.class, PlanCommand.class, CompactCommand.class, ProxyStudyCommand.class,
                ZeroCostCommand.class, BenchmarkCommand.class})
public final class Main implements Runnable {

    /**
     * Exits the JVM only where that is safe: a plain {@code java} launch exits with the command's
     * code. Under spark-submit a successful command returns (YARN marks an application that calls
     * System.exit before its final status as failed), a failed one exits non-zero. On Databricks a
     * job must never call System.exit: success returns, failure throws.
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        if (System.getenv("DATABRICKS_RUNTIME_VERSION") != null) {
            if (code != 0) {
                throw new IllegalStateException("nasnet " + String.join(" ", args) + " failed (exit code " + code
                        + "); the reason is above");
            }
            return;
        }
        if (code != 0 || System.getProperty("spark.submit.deployMode") == null) {
            System.exit(code);
        }
    }

    /** Runs a command line, printing to {@code out} and {@code err}, and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    cmd.getErr().flush();
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
