package io.nasnet.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.nasnet.cli.Main;
import io.nasnet.search.SearchConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jobs/databricks-nightly-gpu.json and -cpu.json are valid Jobs API 2.1 create requests (against the
 * request schema kept in src/test/resources/databricks; the official SDK is not served by the Maven
 * repository this project builds from), their runtime runs this jar (Spark 3.5, Scala 2.12, Java 17),
 * the jar's backend matches the workers (the CUDA jar on a GPU runtime with a GPU per task, the CPU
 * jar on a CPU runtime with a core per task), and their task's parameters are a command line the jar accepts.
 */
class DatabricksJobTest {

    static final File GPU = new File("jobs/databricks-nightly-gpu.json");
    static final File CPU = new File("jobs/databricks-nightly-cpu.json");
    static final List<File> JOBS = List.of(GPU, CPU);

    static JsonSchema schema() throws Exception {
        try (InputStream in = DatabricksJobTest.class.getResourceAsStream("/databricks/jobs-2.1-create.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    @Test
    void theJobsAreValidCreateRequests() throws Exception {
        for (File f : JOBS) {
            assertThat(schema().validate(new ObjectMapper().readTree(f))).as(f.toString()).isEmpty();
        }
        JsonNode job = new ObjectMapper().readTree(GPU);
        assertThat(schema().validate(job)).isEmpty();

        // the schema is strict enough to catch what the service would silently ignore or refuse
        ObjectNode misspelt = job.deepCopy();
        ObjectNode task = (ObjectNode) misspelt.get("tasks").get(0);
        task.set("spark_jar_tsk", task.remove("spark_jar_task"));
        assertThat(schema().validate(misspelt)).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("spark_jar_tsk"));
        ObjectNode noCron = job.deepCopy();
        ((ObjectNode) noCron.get("schedule")).remove("quartz_cron_expression");
        assertThat(schema().validate(noCron)).isNotEmpty();
        ObjectNode noWorkers = job.deepCopy();
        ((ObjectNode) noWorkers.get("tasks").get(0).get("new_cluster")).remove("num_workers");
        assertThat(schema().validate(noWorkers)).as("num_workers or autoscale").isNotEmpty();
    }

    @Test
    void theRuntimeRunsJava17WithSpark35AndScala212() throws Exception {
        for (File f : JOBS) {
            JsonNode cluster = new ObjectMapper().readTree(f).get("tasks").get(0).get("new_cluster");
            String version = cluster.get("spark_version").asText();
            JsonNode env = cluster.get("spark_env_vars");
            String jname = env == null || env.get("JNAME") == null ? "" : env.get("JNAME").asText();
            assertThat(runtimeRunsThisJar(version, jname)).as(f + ": " + version + " with JNAME=" + jname).isTrue();
        }
        // what the rule says of other runtimes
        assertThat(runtimeRunsThisJar("15.4.x-gpu-ml-scala2.12", "")).as("JDK 8 by default before 16").isFalse();
        assertThat(runtimeRunsThisJar("15.4.x-gpu-ml-scala2.12", "zulu17-ca-amd64")).isTrue();
        assertThat(runtimeRunsThisJar("16.4.x-scala2.13", "")).as("Scala 2.13 build").isFalse();
        assertThat(runtimeRunsThisJar("17.3.x-scala2.13", "")).as("Spark 4").isFalse();
        assertThat(runtimeRunsThisJar("13.3.x-scala2.12", "zulu17-ca-amd64")).as("Spark 3.4").isFalse();
    }

    @Test
    void eachJobsJarMatchesItsWorkers() throws Exception {
        JsonNode gpu = new ObjectMapper().readTree(GPU).get("tasks").get(0);
        assertThat(jars(gpu)).first().asString().endsWith("/nasnet-spark-cluster-cuda.jar");
        assertThat(jars(gpu)).as("CUDA 11.6's runtime, which Databricks' CUDA 12 runtimes lack")
                .anyMatch(j -> j.contains("cuda-11.6") && j.endsWith("-redist.jar"));
        JsonNode gpuCluster = gpu.get("new_cluster");
        assertThat(gpuCluster.get("spark_version").asText()).contains("-gpu-");
        assertThat(gpuCluster.get("spark_conf").get("spark.task.resource.gpu.amount").asText()).isEqualTo("1");

        JsonNode cpu = new ObjectMapper().readTree(CPU).get("tasks").get(0);
        assertThat(jars(cpu)).containsExactly("dbfs:/nasnet/jars/nasnet-spark-cluster.jar");
        JsonNode cpuCluster = cpu.get("new_cluster");
        assertThat(cpuCluster.get("spark_version").asText()).doesNotContain("gpu");
        assertThat(cpuCluster.get("spark_conf").has("spark.task.resource.gpu.amount")).isFalse();
        assertThat(cpuCluster.get("spark_conf").get("spark.task.cpus").asText()).as("a child per core").isEqualTo("1");
        // Databricks starts the context before the job: the session's own settings must be the cluster's
        for (JsonNode cluster : List.of(gpuCluster, cpuCluster)) {
            io.nasnet.cli.Spark.KRYO.forEach((key, value) ->
                    assertThat(cluster.get("spark_conf").get(key).asText()).as(key).isEqualTo(value));
        }
    }

    static List<String> jars(JsonNode task) {
        List<String> out = new ArrayList<>();
        task.get("libraries").forEach(l -> out.add(l.get("jar").asText()));
        return out;
    }

    @Test
    void theDriverRunsOnTheGpuNodeType() throws Exception {
        // the controller runs on the driver with ND4J, which in the GPU jar is the CUDA backend
        JsonNode cluster = new ObjectMapper().readTree(GPU).get("tasks").get(0).get("new_cluster");
        JsonNode driver = cluster.get("driver_node_type_id");
        assertThat(driver == null || driver.asText().equals(cluster.get("node_type_id").asText()))
                .as("driver_node_type_id %s", driver).isTrue();
    }

    /**
     * Databricks Runtime 14.x to 16.x run Spark 3.5; 16.0 and later run JDK 17 by default, 13.1 to
     * 15.x only with {@code JNAME=zulu17-ca-amd64}; the jar is built for Scala 2.12.
     */
    static boolean runtimeRunsThisJar(String sparkVersion, String jname) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.x-(.*)").matcher(sparkVersion);
        if (!m.matches()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        boolean spark35 = major >= 14 && major <= 16;
        boolean java17 = major >= 16 || jname.startsWith("zulu17");
        return spark35 && java17 && m.group(3).endsWith("scala2.12");
    }

    @Test
    void theTaskRunsACommandOfThisJarWithTheShippedConfiguration() throws Exception {
        for (File f : JOBS) {
            theTaskRunsACommandOfThisJarWithTheShippedConfiguration(new ObjectMapper().readTree(f).get("tasks").get(0));
        }
    }

    static void theTaskRunsACommandOfThisJarWithTheShippedConfiguration(JsonNode task) {
        assertThat(task.get("spark_jar_task").get("main_class_name").asText()).isEqualTo(Main.class.getName());
        List<String> params = new ArrayList<>();
        task.get("spark_jar_task").get("parameters").forEach(p -> params.add(p.asText()));
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(params.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("search");
        // the configuration it names is the shipped conf/databricks.conf, uploaded to that path
        String conf = parsed.subcommand().matchedOptionValue("--conf", new File("")).getPath();
        assertThat(new File(conf).getName()).isEqualTo("databricks.conf");
        SearchConfig c = SearchConfig.load(new File("conf/databricks.conf"), List.of());
        assertThat(c.searchId()).isEqualTo("nightly");
        assertThat(jars(task).get(0)).matches(".*/nasnet-spark-cluster(-cuda)?\\.jar");
    }

    @Test
    void eachJobsNodesInstallAndPreloadTheAllocatorTheScriptsGiveExecutors() throws Exception {
        String allocator = java.nio.file.Files.readString(java.nio.file.Path.of("jobs/allocator.sh"));
        java.util.regex.Matcher conf = java.util.regex.Pattern.compile("NASNET_MALLOC_CONF=\"([^\"]+)\"").matcher(allocator);
        assertThat(conf.find()).isTrue();
        String init = java.nio.file.Files.readString(java.nio.file.Path.of("jobs/databricks-init-jemalloc.sh"));
        assertThat(init).contains("apt-get install -y -qq libjemalloc2");
        for (File f : JOBS) {
            JsonNode cluster = new ObjectMapper().readTree(f).get("tasks").get(0).get("new_cluster");
            JsonNode env = cluster.get("spark_env_vars");
            assertThat(env.get("MALLOC_CONF").asText()).as(f.toString()).isEqualTo(conf.group(1));
            assertThat(allocator).contains(env.get("LD_PRELOAD").asText());
            assertThat(init).contains(env.get("LD_PRELOAD").asText());
            assertThat(cluster.get("init_scripts").get(0).get("workspace").get("destination").asText())
                    .endsWith("/databricks-init-jemalloc.sh");
            assertThat(cluster.get("spark_conf").get("spark.executor.extraJavaOptions").asText())
                    .as("the JVM options that let children purge jemalloc's pages (the pom's native.access)")
                    .contains("--add-modules=jdk.incubator.foreign --enable-native-access=ALL-UNNAMED");
        }
    }
}
