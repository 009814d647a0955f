package io.nasnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the project's {@code jobs/}, {@code conf/} and pom in a folder, in which the launch scripts run
 * for real but end in a recorder: a stand-in for {@code spark-submit} (and for {@code jobs/nasnet})
 * that writes the command line it was given, one argument a line; {@code jobs/nasnet plan} answers with
 * fixed executor sizes ({@link #PLAN}). The jars the scripts look for are empty files, present or not as
 * a test needs.
 */
final class ScriptSandbox {

    static final String CPU_JAR = "target/nasnet-spark-cluster.jar";
    static final String CUDA_JAR = "target/nasnet-spark-cluster-cuda.jar";
    /** What the stand-in for {@code nasnet plan --format env} prints unless PLAN_OUTPUT says otherwise. */
    static final List<String> PLAN = List.of("EXECUTOR_MEMORY=1280m", "EXECUTOR_OFFHEAP=5376m",
            "CHILD_ALLOCATOR=jemalloc", "PLAN='1.21 GB per child (N=1, F=8, batch 32, jemalloc)'");

    /** A script's exit code, its output, and the command line it handed on (empty when it handed on none). */
    record Run(int code, String output, List<String> argv) {

        /** The arguments after the application jar: the nasnet command line. */
        List<String> application() {
            for (int i = 0; i < argv.size(); i++) {
                if (argv.get(i).endsWith(".jar") && (i == 0 || !argv.get(i - 1).equals("--jars"))) {
                    return argv.subList(i + 1, argv.size());
                }
            }
            throw new AssertionError("no application jar in " + argv);
        }

        /** The value after {@code option} in the spark-submit part, or null. */
        String option(String option) {
            List<String> submit = argv.subList(0, argv.size() - application().size());
            int i = submit.indexOf(option);
            return i < 0 || i + 1 >= submit.size() ? null : submit.get(i + 1);
        }

        /** Every {@code --conf key=value} of the spark-submit part, by key. */
        Map<String, String> sparkConf() {
            Map<String, String> out = new LinkedHashMap<>();
            List<String> submit = argv.subList(0, argv.size() - application().size());
            for (int i = 0; i + 1 < submit.size(); i++) {
                if (submit.get(i).equals("--conf")) {
                    String kv = submit.get(i + 1);
                    out.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            return out;
        }

        /** The application jar. */
        String jar() {
            return argv.get(argv.size() - application().size() - 1);
        }
    }

    private final Path root;

    private ScriptSandbox(Path root) {
        this.root = root;
    }

    /** jobs/, conf/ and the named (empty) jars under {@code dir}, with recorders for spark-submit and jobs/nasnet. */
    static ScriptSandbox create(Path dir, String... jars) throws IOException {
        for (String tree : List.of("jobs", "conf")) {
            try (Stream<Path> files = Files.walk(Path.of(tree))) {
                for (Path f : files.toList()) {
                    Path to = dir.resolve(f.toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        // the scripts read the JVM options from the pom (jobs/java17.sh)
        Files.copy(Path.of("pom.xml"), dir.resolve("pom.xml"), StandardCopyOption.REPLACE_EXISTING);
        for (String jar : jars) {
            Files.createDirectories(dir.resolve(jar).getParent());
            Files.writeString(dir.resolve(jar), "");
        }
        // spark-submit prints SUBMIT_OUTPUT and exits SUBMIT_EXIT, as a failed application's would
        String recorder = "#!/bin/sh\n: > \"$RECORD\"\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \"$RECORD\"; done\n"
                + "[ -z \"$SUBMIT_OUTPUT\" ] || printf '%s\\n' \"$SUBMIT_OUTPUT\" >&2\nexit \"${SUBMIT_EXIT:-0}\"\n";
        // nasnet plan answers as PLAN_OUTPUT and PLAN_EXIT say, its command line in $RECORD.plan
        String plan = "if [ \"$1\" = plan ]; then\n  for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$RECORD.plan\"\n"
                + "  printf '%s\\n' \"${PLAN_OUTPUT:-" + String.join("\n", PLAN) + "}\"\n"
                + "  [ \"${PLAN_EXIT:-0}\" = 0 ] || echo \"error: ${PLAN_ERROR:-the children need more}\" >&2\n"
                + "  exit \"${PLAN_EXIT:-0}\"\nfi\n";
        Path submit = Files.writeString(dir.resolve("spark-submit"), recorder);
        Path nasnet = Files.writeString(dir.resolve("jobs/nasnet"), recorder.replace("#!/bin/sh\n", "#!/bin/sh\n" + plan));
        for (Path p : List.of(submit, nasnet)) {
            p.toFile().setExecutable(true);
        }
        return new ScriptSandbox(dir);
    }

    Path root() {
        return root;
    }

    /** Runs {@code jobs/SCRIPT args} in the sandbox with spark-submit recorded, and {@code env} on top. */
    Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path record = root.resolve("argv.txt");
        Files.deleteIfExists(record);
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("SPARK_SUBMIT", root.resolve("spark-submit").toString());
        pb.environment().put("RECORD", record.toString());
        pb.environment().remove("NASNET_JAR");
        pb.environment().remove("GPUS_PER_EXECUTOR");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " still running after 60 s:\n" + output);
        }
        List<String> argv = Files.exists(record) ? Files.readAllLines(record) : List.of();
        return new Run(p.exitValue(), output, argv);
    }
}
