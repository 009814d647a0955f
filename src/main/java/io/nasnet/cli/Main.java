package io.nasnet.cli;

import io.nasnet.config.ConfigException;
import io.nasnet.data.DatasetException;
import org.apache.commons.io.output.TeeWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

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
     * code. Under spark-submit in client mode a successful command returns, a failed one exits non-zero.
     * A driver inside YARN's ApplicationMaster never exits (YARN would report only that the JVM stopped
     * early and try again): a failure throws with what the command said, which YARN's diagnostics and so
     * spark-submit's output carry, and a refusal ends the application without a second attempt. On
     * Databricks a job must never call System.exit: success returns, failure throws.
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        StringWriter said = new StringWriter();
        PrintWriter err = new PrintWriter(new TeeWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), said),
                true);
        Outcome outcome = execute(out, err, args);
        boolean yarn = YarnApplication.isDriverInApplicationMaster();
        if (yarn || System.getenv("DATABRICKS_RUNTIME_VERSION") != null) {
            if (outcome.code() != 0) {
                String reason = "nasnet " + String.join(" ", args) + " failed (exit code " + outcome.code() + "): "
                        + tail(said.toString().strip(), 4000);
                if (yarn && outcome.refusal()) {
                    YarnApplication.failWithoutRetry(reason);
                }
                throw new IllegalStateException(reason);
            }
            return;
        }
        if (outcome.code() != 0 || System.getProperty("spark.submit.deployMode") == null) {
            System.exit(outcome.code());
        }
    }

    /**
     * A command's exit code, and whether its failure is a refusal: a command line, configuration,
     * dataset or genotype that would be refused again on another attempt.
     */
    record Outcome(int code, boolean refusal) {
    }

    /** Runs a command line, printing to {@code out} and {@code err}, and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, args).code();
    }

    static Outcome execute(PrintWriter out, PrintWriter err, String... args) {
        boolean[] refused = {false};
        int code = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    refused[0] = isRefusal(e);
                    cmd.getErr().println("error: " + e.getMessage());
                    cmd.getErr().flush();
                    return 1;
                })
                .execute(args);
        // picocli's own usage errors (an unknown option, a bad value) exit 2
        return new Outcome(code, refused[0] || code == CommandLine.ExitCode.USAGE);
    }

    /**
     * Whether a command's exception refuses its input (a configuration, a dataset, an argument), which
     * another attempt would refuse again; anything else (a lost executor, a lease still held, a
     * FileSystem that did not answer) another attempt may get past.
     */
    static boolean isRefusal(Throwable e) {
        return e instanceof ConfigException || e instanceof DatasetException || e instanceof IllegalArgumentException;
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
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
