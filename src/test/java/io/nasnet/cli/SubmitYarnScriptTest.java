package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jobs/submit-yarn.sh as a user calls it, with spark-submit recorded: the jar that matches the
 * executors (or a refusal before submitting), a command when only options are given, the user's
 * --conf shipped to the driver, and spark-submit options passed through.
 */
class SubmitYarnScriptTest {

    static final List<String> SCRIPT = List.of("jobs/submit-yarn.sh");

    static List<String> script(String... args) {
        return java.util.stream.Stream.concat(SCRIPT.stream(), java.util.Arrays.stream(args)).toList();
    }

    @Test
    void gpuExecutorsGetTheCudaJarAndCpuExecutorsTheCpuJar(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR, ScriptSandbox.CUDA_JAR);
        ScriptSandbox.Run gpu = box.run(script(), Map.of());
        assertThat(gpu.code()).as(gpu.output()).isZero();
        assertThat(gpu.jar()).isEqualTo(ScriptSandbox.CUDA_JAR);
        assertThat(gpu.sparkConf()).containsEntry("spark.executor.resource.gpu.amount", "1")
                .containsEntry("spark.task.resource.gpu.amount", "1").containsEntry("spark.task.cpus", "4");
        assertThat(gpu.option("--files")).isEqualTo("conf/yarn.conf,jobs/gpu-discovery.sh");

        ScriptSandbox.Run cpu = box.run(script(), Map.of("GPUS_PER_EXECUTOR", "0"));
        assertThat(cpu.code()).as(cpu.output()).isZero();
        assertThat(cpu.jar()).isEqualTo(ScriptSandbox.CPU_JAR);
        assertThat(cpu.sparkConf()).containsEntry("spark.task.cpus", "1")
                .doesNotContainKeys("spark.executor.resource.gpu.amount", "spark.task.resource.gpu.amount");
        assertThat(cpu.option("--files")).isEqualTo("conf/yarn.conf");
    }

    @Test
    void aMissingOrMismatchedJarIsRefusedBeforeSparkSubmitWithTheCommandThatFixesIt(@TempDir Path dir) throws Exception {
        ScriptSandbox cpuOnly = ScriptSandbox.create(dir.resolve("cpu"), ScriptSandbox.CPU_JAR);
        ScriptSandbox.Run missing = cpuOnly.run(script(), Map.of());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.argv()).as("spark-submit was not called").isEmpty();
        assertThat(missing.output()).contains("no target/nasnet-spark-cluster-cuda.jar: build it with: "
                + "mvn -B -Pcluster,cuda -Dmaven.test.skip=true package");

        ScriptSandbox.Run cpuJarOnGpus = cpuOnly.run(script(), Map.of("NASNET_JAR", ScriptSandbox.CPU_JAR));
        assertThat(cpuJarOnGpus.code()).isEqualTo(2);
        assertThat(cpuJarOnGpus.argv()).isEmpty();
        assertThat(cpuJarOnGpus.output()).contains("GPUS_PER_EXECUTOR=1 asks for GPU executors, but "
                + "target/nasnet-spark-cluster.jar is a CPU jar").contains("GPUS_PER_EXECUTOR=0 NASNET_JAR=");

        ScriptSandbox cudaOnly = ScriptSandbox.create(dir.resolve("cuda"), ScriptSandbox.CUDA_JAR);
        ScriptSandbox.Run cudaJarOnCpus = cudaOnly.run(script(), Map.of("GPUS_PER_EXECUTOR", "0",
                "NASNET_JAR", ScriptSandbox.CUDA_JAR));
        assertThat(cudaJarOnCpus.code()).isEqualTo(2);
        assertThat(cudaJarOnCpus.argv()).isEmpty();
        assertThat(cudaJarOnCpus.output()).contains("GPUS_PER_EXECUTOR=0 asks for CPU executors, but "
                + "target/nasnet-spark-cluster-cuda.jar is a CUDA jar");
        ScriptSandbox.Run noCpuJar = cudaOnly.run(script(), Map.of("GPUS_PER_EXECUTOR", "0"));
        assertThat(noCpuJar.output()).contains("no target/nasnet-spark-cluster.jar: build it with: "
                + "mvn -B -Pcluster -DskipTests package");
        // a jar on the cluster's FileSystem is checked by its name only
        ScriptSandbox.Run remote = cudaOnly.run(script(), Map.of("NASNET_JAR",
                "hdfs:///nasnet/jars/nasnet-spark-cluster-cuda.jar"));
        assertThat(remote.code()).as(remote.output()).isZero();
        assertThat(remote.jar()).isEqualTo("hdfs:///nasnet/jars/nasnet-spark-cluster-cuda.jar");
    }

    @Test
    void optionsWithoutACommandMeanSearchAndTheShippedConfiguration(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CUDA_JAR);
        ScriptSandbox.Run r = box.run(script("--set", "child.epochs=10"), Map.of());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.application()).containsExactly("search", "--set", "child.epochs=10", "--conf", "yarn.conf");
        assertThat(r.option("--name")).isEqualTo("nasnet-search");
        SearchConfig c = CommandLineCheck.check(r.application(), f -> box.root().resolve("conf").resolve(f.getName()).toFile());
        assertThat(c.child().epochs()).isEqualTo(10);
        assertThat(c.searchId()).isEqualTo("nightly");
    }

    @Test
    void theUsersConfWinsTravelsToTheDriverAndNamesTheApplication(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CUDA_JAR);
        ScriptSandbox.Run r = box.run(script("compare", "--conf", "conf/local.conf", "--children", "8",
                "--study", "s1"), Map.of());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.application()).containsExactly("compare", "--conf", "local.conf", "--children", "8", "--study", "s1");
        assertThat(r.option("--files").split(",")).contains("conf/local.conf").doesNotContain("conf/yarn.conf");
        assertThat(r.option("--name")).isEqualTo("nasnet-compare");
        assertThat(CommandLineCheck.check(r.application(), f -> new File(dir.toFile(), "conf/" + f.getName())).searchId())
                .as("conf/local.conf's search").isEqualTo("fashion-small");

        ScriptSandbox.Run equals = box.run(script("check", "--conf=conf/local.conf"), Map.of());
        assertThat(equals.application()).containsExactly("check", "--conf=local.conf");
        assertThat(equals.option("--files")).startsWith("conf/local.conf");
        ScriptSandbox.Run none = box.run(script("search", "--conf", "conf/nope.conf"), Map.of());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.output()).contains("no configuration file conf/nope.conf");
    }

    @Test
    void sparkSubmitOptionsBeforeALoneDoubleDashPassThrough(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CUDA_JAR);
        ScriptSandbox.Run r = box.run(script("--principal", "nasnet@EXAMPLE.COM", "--keytab", "/etc/nasnet.keytab",
                "--jars", "hdfs:///libs/cuda-redist.jar", "--conf", "spark.yarn.am.nodeLabelExpression=gpu",
                "--files", "extra.txt", "--", "search", "--rounds", "1"), Map.of());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.application()).containsExactly("search", "--rounds", "1", "--conf", "yarn.conf");
        assertThat(r.option("--principal")).isEqualTo("nasnet@EXAMPLE.COM");
        assertThat(r.option("--keytab")).isEqualTo("/etc/nasnet.keytab");
        assertThat(r.option("--jars")).isEqualTo("hdfs:///libs/cuda-redist.jar");
        assertThat(r.sparkConf()).containsEntry("spark.yarn.am.nodeLabelExpression", "gpu");
        assertThat(r.argv().stream().filter("--files"::equals)).as("one --files, ours and the user's").hasSize(1);
        assertThat(r.option("--files")).isEqualTo("conf/yarn.conf,extra.txt,jobs/gpu-discovery.sh");
        assertThat(r.jar()).isEqualTo(ScriptSandbox.CUDA_JAR);
    }

    @Test
    void executorsOfTheCommandsThatTrainChildrenAreSizedByThePlanWithItsAllocator(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR);
        Path site = Files.createDirectories(dir.resolve("hadoop-conf")).resolve("yarn-site.xml");
        Files.writeString(site, "<configuration><property><name>yarn.scheduler.maximum-allocation-mb</name>\n"
                + "  <value>6144</value><source>yarn-site.xml</source></property></configuration>");
        ScriptSandbox.Run r = box.run(script("search", "--set", "child.f=12", "--set=child.n=2"),
                Map.of("GPUS_PER_EXECUTOR", "0", "EXECUTOR_CORES", "3", "HADOOP_CONF_DIR", site.getParent().toString()));
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(Files.readAllLines(dir.resolve("argv.txt.plan"))).containsExactly("plan", "--conf", "conf/yarn.conf",
                "--format", "env", "--set", "child.f=12", "--set=child.n=2", "--cores", "3", "--largest-container", "6144m");
        assertThat(r.option("--executor-memory")).isEqualTo("1280m");
        assertThat(r.sparkConf()).containsEntry("spark.executor.memoryOverhead", "5376m")
                .containsEntry("spark.executorEnv.MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1")
                .containsKey("spark.executorEnv.LD_PRELOAD");
        assertThat(r.sparkConf().get("spark.executorEnv.LD_PRELOAD")).endsWith("libjemalloc.so.2");
        assertThat(r.sparkConf().get("spark.executor.extraJavaOptions"))
                .as("the options that let children purge jemalloc's pages").contains("--enable-native-access=ALL-UNNAMED");
        assertThat(r.output()).contains("heap 1280m, memoryOverhead 5376m; measured 1.21 GB per child");

        // sizes given are the plan's to check; other commands keep theirs
        ScriptSandbox.Run given = box.run(script("search"), Map.of("GPUS_PER_EXECUTOR", "0", "EXECUTOR_OFFHEAP", "9g"));
        assertThat(Files.readAllLines(dir.resolve("argv.txt.plan"))).containsSequence("--executor-overhead", "9g");
        assertThat(given.sparkConf()).containsEntry("spark.executor.memoryOverhead", "9g");
        assertThat(given.option("--executor-memory")).isEqualTo("1280m");
        Files.delete(dir.resolve("argv.txt.plan"));
        ScriptSandbox.Run train = box.run(script("train", "--genotype", "NASNet-A"), Map.of("GPUS_PER_EXECUTOR", "0"));
        assertThat(dir.resolve("argv.txt.plan")).doesNotExist();
        assertThat(train.option("--executor-memory")).isEqualTo("8g");
        assertThat(train.sparkConf()).containsEntry("spark.executor.memoryOverhead", "24g")
                .doesNotContainKey("spark.executorEnv.LD_PRELOAD");
    }

    @Test
    void aPlanThatCannotFitIsRefusedBeforeSubmitting(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR);
        ScriptSandbox.Run r = box.run(script("search"), Map.of("GPUS_PER_EXECUTOR", "0", "PLAN_EXIT", "1",
                "EXECUTOR_OFFHEAP", "512m"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.argv()).as("spark-submit was not called").isEmpty();
        assertThat(r.output()).contains("error: the children need more")
                .contains("the executors cannot hold the children (the error above); nothing was submitted");
    }

    @Test
    void aPlanFailureSaysWhetherTheConfigurationTheDataOrTheMemoryFailed(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR);
        ScriptSandbox.Run config = box.run(script("search", "--set", "child.reward-last-k=9"), Map.of(
                "GPUS_PER_EXECUTOR", "0", "PLAN_EXIT", "2",
                "PLAN_ERROR", "the configuration: child.reward-last-k: 9 is above child.epochs (3)"));
        assertThat(config.code()).isEqualTo(2);
        assertThat(config.argv()).as("spark-submit was not called").isEmpty();
        assertThat(config.output()).contains("error: the configuration: child.reward-last-k: 9 is above")
                .contains("the configuration or the command line was refused (the error above); nothing was submitted")
                .doesNotContain("cannot hold the children");
        ScriptSandbox.Run data = box.run(script("search"), Map.of("GPUS_PER_EXECUTOR", "0", "PLAN_EXIT", "3",
                "PLAN_ERROR", "the data: cannot reach hdfs:///data/fashion/train-images-idx3-ubyte"));
        assertThat(data.code()).isEqualTo(2);
        assertThat(data.output()).contains("could not read the dataset's shape here (the error above)")
                .doesNotContain("cannot hold the children");
    }

    @Test
    void aDriverAboveTheLargestContainerIsRefusedBeforeSubmittingNamingWhatFits(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR);
        Map<String, String> cpu = Map.of("GPUS_PER_EXECUTOR", "0", "LARGEST_CONTAINER", "4g");
        ScriptSandbox.Run fits = box.run(script("search"), cpu);
        assertThat(fits.code()).as(fits.output()).isZero();
        assertThat(fits.option("--driver-memory")).as("the defaults fit a 4 GB container").isEqualTo("1g");
        assertThat(fits.sparkConf()).containsEntry("spark.driver.memoryOverhead", "1g");

        Map<String, String> big = new java.util.HashMap<>(cpu);
        big.put("DRIVER_MEMORY", "4g");
        big.put("DRIVER_OFFHEAP", "4g");
        ScriptSandbox.Run refused = box.run(script("search"), big);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.argv()).as("spark-submit was not called").isEmpty();
        assertThat(refused.output()).contains("DRIVER_MEMORY=4g + DRIVER_OFFHEAP=4g = 8192m, is above the largest "
                + "container the cluster grants (4g)").contains("e.g. DRIVER_MEMORY=1g DRIVER_OFFHEAP=1g");
    }

    @Test
    void aFailedApplicationsDiagnosticsAndItsLogCommandArePrinted(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR);
        String report = String.join("\n",
                "26/12/08 01:00:00 INFO Client: Submitted application application_1765000000000_0007",
                "26/12/08 01:00:09 INFO Client: ",
                "\t client token: N/A",
                "\t diagnostics: nasnet search failed (exit code 1): error: search 'nightly' cannot continue with "
                        + "changed settings:",
                "  - child.epochs: 1 (saved) -> 2 (now)",
                "\t ApplicationMaster host: 10.0.0.7",
                "\t final status: FAILED",
                "Exception in thread \"main\" org.apache.spark.SparkException: Application application_1765000000000_0007 "
                        + "finished with failed status");
        ScriptSandbox.Run r = box.run(script("search"), Map.of("GPUS_PER_EXECUTOR", "0", "SUBMIT_EXIT", "1",
                "SUBMIT_OUTPUT", report));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("jobs/submit-yarn.sh: application_1765000000000_0007 failed: nasnet search "
                        + "failed (exit code 1): error: search 'nightly' cannot continue with changed settings:\n"
                        + "  - child.epochs: 1 (saved) -> 2 (now)\n")
                .contains("jobs/submit-yarn.sh: the driver's log: yarn logs -applicationId application_1765000000000_0007 "
                        + "-log_files stdout,stderr");
    }
}
