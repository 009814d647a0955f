package io.nasnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly schedulers run one command line: cron (jobs/nightly-yarn.cron), Airflow
 * (jobs/nasnet_nightly_dag.py) and docs/cluster.md quote the same jobs/submit-yarn.sh call, at the
 * same hour as the Databricks jobs, whose parameters are the same nasnet command; and that call goes
 * through the script to a command line the jar accepts.
 */
class SchedulersTest {

    static String dag() throws Exception {
        return Files.readString(Path.of("jobs/nasnet_nightly_dag.py"));
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    static DocumentedCommandsTest.Quoted cron() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("jobs/nightly-yarn.cron")).stream()
                .filter(l -> l.matches("^[0-9*].*")).toList();
        assertThat(lines).hasSize(1);
        List<DocumentedCommandsTest.Quoted> q = DocumentedCommandsTest.parse("cron", lines.get(0));
        assertThat(q).hasSize(1);
        return q.get(0);
    }

    @Test
    void cronAirflowAndTheDocsRunTheSameCommandAtTheHourOfTheDatabricksJobs() throws Exception {
        String nightly = String.join(" ", cron().words());
        assertThat(group(dag(), "^NIGHTLY = \"(.*)\"$")).isEqualTo(nightly);
        assertThat(dag()).contains("bash_command=f\"cd {NASNET_HOME} && {NIGHTLY} \"")
                .contains("start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)");
        assertThat(Files.readAllLines(Path.of("jobs/nightly-yarn.cron"))).as("the cron hour is UTC").contains("CRON_TZ=UTC");
        List<String> documented = new ArrayList<>();
        DocumentedCommandsTest.commands("docs/cluster.md", Files.readString(Path.of("docs/cluster.md")))
                .forEach(q -> documented.add(String.join(" ", q.words())));
        assertThat(documented).as("docs/cluster.md's nightly command").contains(nightly);

        String cronLine = Files.readAllLines(Path.of("jobs/nightly-yarn.cron")).stream()
                .filter(l -> l.matches("^[0-9*].*")).findFirst().orElseThrow();
        String[] f = cronLine.trim().split("\\s+");
        String schedule = String.join(" ", f[0], f[1], f[2], f[3], f[4]);
        assertThat(group(dag(), "schedule=\"(.*)\"")).isEqualTo(schedule);
        List<String> nasnetArgs = List.of(group(Files.readString(Path.of("jobs/nightly.sh")),
                "^jobs/submit-yarn.sh (search --time-budget \\S+) ").split(" "));
        for (String job : List.of("jobs/databricks-nightly-gpu.json", "jobs/databricks-nightly-cpu.json")) {
            JsonNode root = new ObjectMapper().readTree(new File(job));
            String[] quartz = root.get("schedule").get("quartz_cron_expression").asText().split(" ");
            assertThat(quartz[1] + " " + quartz[2]).as(job + " minute and hour").isEqualTo(f[0] + " " + f[1]);
            assertThat(root.get("schedule").get("timezone_id").asText()).as(job).isEqualTo("UTC");
            List<String> params = new ArrayList<>();
            root.get("tasks").get(0).get("spark_jar_task").get("parameters").forEach(p -> params.add(p.asText()));
            assertThat(params.subList(0, nasnetArgs.size())).as(job).isEqualTo(nasnetArgs);
        }
    }

    @Test
    void theNightlyCommandGoesThroughTheScriptToACommandTheJarAccepts(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR);
        // the shipped environment, with the cluster's configuration folder where this machine has one
        Path hadoopConf = Files.createDirectories(dir.resolve("hadoop-conf"));
        Files.writeString(hadoopConf.resolve("yarn-site.xml"), "<configuration/>");
        Path env = dir.resolve("conf/nightly.env");
        Files.writeString(env, Files.readString(env).replace("HADOOP_CONF_DIR=/etc/hadoop/conf",
                "HADOOP_CONF_DIR=" + hadoopConf));
        DocumentedCommandsTest.Quoted q = cron();
        assertThat(q.words()).containsExactly("jobs/nightly.sh");
        ScriptSandbox.Run r = box.run(q.words(), Map.of());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.application()).containsExactly("search", "--time-budget", "8h", "--conf", "yarn.conf");
        assertThat(CommandLineCheck.check(r.application(), c -> dir.resolve("conf").resolve(c.getName()).toFile())
                .timeBudget()).hasHours(8);
        // CPU executors, as the environment says, not the GPU path an empty environment would take
        assertThat(r.jar()).isEqualTo(ScriptSandbox.CPU_JAR);
        assertThat(r.sparkConf()).containsEntry("spark.task.cpus", "1").doesNotContainKey("spark.executor.resource.gpu.amount");
        // the log folder is made, the night's output appended to the UTC day's file
        Path log = dir.resolve("logs/nightly-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("GPUS_PER_EXECUTOR=0").contains("sizing the executors");
    }

    @Test
    void aNightWithoutItsEnvironmentIsRefusedSayingWhatToSet(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR, ScriptSandbox.CUDA_JAR);
        Path env = dir.resolve("conf/nightly.env");
        ScriptSandbox.Run noConf = box.run(List.of("jobs/nightly.sh"), Map.of());
        assertThat(noConf.code()).isEqualTo(2);
        assertThat(noConf.argv()).as("spark-submit was not called").isEmpty();
        assertThat(noConf.output()).contains("HADOOP_CONF_DIR=/etc/hadoop/conf (from conf/nightly.env) holds no yarn-site.xml");
        Files.writeString(env, "HADOOP_CONF_DIR=/etc/hadoop/conf\n");
        ScriptSandbox.Run noGpus = box.run(List.of("jobs/nightly.sh"), Map.of());
        assertThat(noGpus.code()).isEqualTo(2);
        assertThat(noGpus.output()).contains("conf/nightly.env sets no GPUS_PER_EXECUTOR: say 0 for CPU executors");
    }

    @Test
    void theAirflowDagIsValidPython() throws Exception {
        Path out = Files.createTempFile("dag", ".pyc");
        Process p = new ProcessBuilder("python3", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], "
                + "cfile=sys.argv[2], doraise=True)", "jobs/nasnet_nightly_dag.py", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        Files.deleteIfExists(out);
    }
}
