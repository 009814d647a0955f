package io.nasnet.cluster;

import io.nasnet.Poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real clusters on one machine, as separate processes: Spark standalone (a Master and two Workers,
 * one core each, forking real executor JVMs), HDFS and YARN ({@link MiniHadoop}). For the
 * integration tests and for people ({@code jobs/local-cluster.sh start|stop|status}): whatever runs
 * against a cluster, spark-submit and jobs/submit-yarn.sh included, can run against this one.
 *
 * <p>Everything lives in one folder: {@code spark/} laid out as a Spark distribution
 * ({@code jars/} linked to the jars the build resolved for it, {@code bin/spark-submit},
 * {@code conf/spark-defaults.conf}), {@code hadoop-conf/} (HADOOP_CONF_DIR and YARN_CONF_DIR),
 * {@code logs/}, {@code cluster.env} (the variables to source) and {@code pids}: each process this
 * cluster started, so that {@link #stop} ends exactly those, with the executors and containers they
 * forked.
 */
public final class LocalCluster implements AutoCloseable {

    /** What the cluster is made of: the Spark distribution's jars and the classpath MiniHadoop runs on. */
    public record Parts(Path projectDir, List<Path> sparkJars, String hadoopClasspath) {

        /**
         * The parts the build resolved: {@code target/spark-distribution.txt} (Spark's own jars) and
         * {@code target/test-classpath.txt}, both written by the cluster profile's build.
         */
        public static Parts fromBuild(Path projectDir) throws IOException {
            Path target = projectDir.resolve("target");
            List<Path> jars = Arrays.stream(Files.readString(require(target.resolve("spark-distribution.txt")))
                    .trim().split(java.io.File.pathSeparator)).map(Path::of).toList();
            String cp = target.resolve("test-classes") + java.io.File.pathSeparator + target.resolve("classes")
                    + java.io.File.pathSeparator + Files.readString(require(target.resolve("test-classpath.txt"))).trim();
            return new Parts(projectDir, jars, cp);
        }

        private static Path require(Path p) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("no " + p + ": build with mvn -B -Pcluster -DskipTests verify first");
            }
            return p;
        }
    }

    static final int WORKERS = 2;
    private static final String JAVA17_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    private final Path dir;
    private final Map<String, Long> pids;
    private final int masterPort;

    private LocalCluster(Path dir, Map<String, Long> pids, int masterPort) {
        this.dir = dir;
        this.pids = pids;
        this.masterPort = masterPort;
    }

    /** Lays out the folder and starts HDFS and YARN, the Master and the Workers; fails with the log's tail. */
    public static LocalCluster start(Path dir, Parts parts) throws IOException, InterruptedException {
        dir = dir.toAbsolutePath();
        if (Files.exists(dir.resolve("pids")) && !alive(readPids(dir)).isEmpty()) {
            throw new IllegalStateException("a cluster in " + dir + " is running: stop it first");
        }
        deleteTree(dir);
        Files.createDirectories(dir.resolve("logs"));
        Path sparkHome = layOutSpark(dir, parts);
        Map<String, Long> pids = new LinkedHashMap<>();
        LocalCluster cluster = new LocalCluster(dir, pids, freePort());
        try {
            long t0 = System.nanoTime();
            cluster.startHadoop(parts);
            long t1 = System.nanoTime();
            Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), """
                    # Spark's jars are on every node: YARN containers take them from here, nothing is uploaded
                    spark.yarn.jars local:%s/*
                    # a one-machine cluster: drivers and executors in YARN containers listen on loopback
                    spark.yarn.appMasterEnv.SPARK_LOCAL_IP 127.0.0.1
                    spark.executorEnv.SPARK_LOCAL_IP 127.0.0.1
                    """.formatted(sparkHome.resolve("jars")));
            cluster.startMaster();
            for (int i = 1; i <= WORKERS; i++) {
                cluster.startWorker(i);
            }
            Files.writeString(dir.resolve("cluster.env"), cluster.environmentScript());
            System.out.printf("HDFS and YARN up in %.1f s, Spark standalone (Master and %d Workers) in %.1f s%n",
                    (t1 - t0) / 1e9, WORKERS, (System.nanoTime() - t1) / 1e9);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.stop();
            throw e;
        }
    }

    /** The cluster whose folder this is, from its pids file (for {@code stop} and {@code status}). */
    public static LocalCluster attach(Path dir) throws IOException {
        dir = dir.toAbsolutePath();
        String env = Files.exists(dir.resolve("cluster.env")) ? Files.readString(dir.resolve("cluster.env")) : "";
        int port = env.lines().filter(l -> l.contains("SPARK_MASTER_URL=")).findFirst()
                .map(l -> Integer.parseInt(l.replaceAll(".*:(\\d+).*", "$1"))).orElse(0);
        return new LocalCluster(dir, readPids(dir), port);
    }

    public Path dir() {
        return dir;
    }

    public Path sparkHome() {
        return dir.resolve("spark");
    }

    public Path sparkSubmit() {
        return sparkHome().resolve("bin/spark-submit");
    }

    public Path hadoopConfDir() {
        return dir.resolve("hadoop-conf");
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The NameNode's URI, e.g. {@code hdfs://localhost:41234}. */
    public String hdfsUri() {
        try {
            return Files.readString(hadoopConfDir().resolve("ready")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment a client of this cluster needs: SPARK_HOME, HADOOP_CONF_DIR, YARN_CONF_DIR, SPARK_LOCAL_IP. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", sparkHome().toString());
        env.put("HADOOP_CONF_DIR", hadoopConfDir().toString());
        env.put("YARN_CONF_DIR", hadoopConfDir().toString());
        // without it the driver binds a non-loopback address the executors may not reach
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    private String environmentScript() {
        StringBuilder sb = new StringBuilder("# . this file to run spark-submit or jobs/submit-yarn.sh against the local cluster\n");
        environment().forEach((k, v) -> sb.append("export ").append(k).append('=').append(v).append('\n'));
        sb.append("export SPARK_MASTER_URL=").append(masterUrl()).append('\n');
        sb.append("export SPARK_SUBMIT=").append(sparkSubmit()).append('\n');
        sb.append("export HDFS=").append(hdfsUri()).append('\n');
        sb.append("export PATH=").append(sparkHome().resolve("bin")).append(":$PATH\n");
        return sb.toString();
    }

    private static Path layOutSpark(Path dir, Parts parts) throws IOException {
        Path home = dir.resolve("spark");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("bin"));
        for (Path jar : parts.sparkJars()) {
            Files.createSymbolicLink(home.resolve("jars").resolve(jar.getFileName()), jar);
        }
        for (String script : List.of("spark-class", "spark-submit")) {
            Path to = home.resolve("bin").resolve(script);
            Files.copy(parts.projectDir().resolve("src/test/cluster/bin").resolve(script), to,
                    StandardCopyOption.REPLACE_EXISTING);
            to.toFile().setExecutable(true);
        }
        return home;
    }

    private void startHadoop(Parts parts) throws IOException, InterruptedException {
        Path base = dir.resolve("hadoop");
        Files.createDirectories(base);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx1g", JAVA17_OPENS, "-cp", parts.hadoopClasspath(),
                MiniHadoop.class.getName(), base.toString(), hadoopConfDir().toString())
                .directory(base.toFile());
        Process p = launch("hadoop", pb);
        awaitFile(hadoopConfDir().resolve("ready"), p, "hadoop", Duration.ofSeconds(120));
    }

    private void startMaster() throws IOException, InterruptedException {
        Process p = launch("master", sparkClass("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())));
        awaitLog("master", p, "I have been elected leader", Duration.ofSeconds(60));
    }

    /**
     * Starts Worker {@code i} (1 or 2), or starts it again after {@link #killWorker}: one core, 3 GB,
     * on host 127.0.0.{@code i} (both loopback), so that the two look like two machines to Spark,
     * which never runs a speculative copy of a task on the host of the original.
     */
    public void startWorker(int i) throws IOException, InterruptedException {
        Path work = dir.resolve("work-" + i);
        Files.createDirectories(work);
        String name = "worker-" + i;
        Files.deleteIfExists(log(name));
        Process p = launch(name, sparkClass("org.apache.spark.deploy.worker.Worker", masterUrl(), "--host",
                "127.0.0." + i, "--cores", "1", "--memory", "3g", "--work-dir", work.toString(),
                "--webui-port", String.valueOf(freePort())));
        awaitLog(name, p, "Successfully registered with master", Duration.ofSeconds(60));
    }

    private ProcessBuilder sparkClass(String className, String... args) {
        List<String> cmd = new ArrayList<>(List.of(sparkHome().resolve("bin/spark-class").toString(), className));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(environment());
        // a lost Worker is noticed in 20 s, not 60 (Workers send heartbeats every quarter of it)
        pb.environment().put("SPARK_DAEMON_JAVA_OPTS", "-Dspark.worker.timeout=20");
        pb.environment().put("SPARK_DAEMON_MEMORY", "512m");
        return pb;
    }

    private Path log(String name) {
        return dir.resolve("logs").resolve(name + ".log");
    }

    private Process launch(String name, ProcessBuilder pb) throws IOException {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        Process p = pb.start();
        pids.put(name, p.pid());
        writePids();
        return p;
    }

    private void awaitFile(Path file, Process p, String name, Duration timeout) throws IOException, InterruptedException {
        await(name, p, timeout, () -> Files.exists(file));
    }

    private void awaitLog(String name, Process p, String line, Duration timeout) throws IOException, InterruptedException {
        await(name, p, timeout, () -> Files.exists(log(name)) && Files.readString(log(name)).contains(line));
    }

    private void await(String name, Process p, Duration timeout, Poll.Check check) {
        Poll.until(name + " to start", timeout, () -> "the end of " + log(name) + ":\n" + tail(log(name), 40), () -> {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited; the end of " + log(name) + ":\n" + tail(log(name), 40));
            }
            return check.ok();
        });
    }

    // ---- executors, for the tests that kill them ----

    /** The executor JVMs running now, Spark standalone's and YARN's containers alike. */
    public List<ProcessHandle> executors() {
        return descendants().filter(h -> commandLine(h).contains("CoarseGrainedExecutorBackend")).toList();
    }

    /** The ApplicationMaster containers running now (in cluster mode, where the driver runs). */
    public List<ProcessHandle> applicationMasters() {
        return descendants().filter(h -> commandLine(h).contains("org.apache.spark.deploy.yarn.ApplicationMaster"))
                .toList();
    }

    /**
     * Waits for an executor whose log has a line matching {@code line} (e.g. a child's training
     * start) and returns it.
     */
    public ProcessHandle awaitExecutor(Predicate<String> line, Duration timeout) {
        return Poll.value("an executor to log the awaited line", timeout, () -> executors().stream().filter(h -> {
            Optional<Path> log = executorLog(h);
            try {
                return log.isPresent() && Files.exists(log.get())
                        && Files.readAllLines(log.get(), StandardCharsets.UTF_8).stream().anyMatch(line);
            } catch (IOException rotated) {
                return false;
            }
        }).findFirst());
    }

    /** Kills a process with SIGKILL, as a lost machine or a preemption would, and waits until it is gone. */
    public static void kill(ProcessHandle h) {
        h.destroyForcibly();
        try {
            h.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("process " + h.pid() + " did not end after SIGKILL", e);
        }
    }

    /** The Worker (1 or 2) that forked an executor. */
    public int workerOf(ProcessHandle executor) {
        for (Optional<ProcessHandle> p = executor.parent(); p.isPresent(); p = p.get().parent()) {
            for (int i = 1; i <= WORKERS; i++) {
                if (Long.valueOf(p.get().pid()).equals(pids.get("worker-" + i))) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("executor " + executor.pid() + " belongs to no Worker of this cluster");
    }

    /**
     * Kills Worker {@code i} and the executors it forked with SIGKILL, as a machine lost whole;
     * {@link #startWorker} brings it back.
     */
    public void killWorker(int i) {
        ProcessHandle worker = ProcessHandle.of(pids.get("worker-" + i))
                .orElseThrow(() -> new IllegalStateException("worker-" + i + " is not running"));
        List<ProcessHandle> all = new ArrayList<>(worker.descendants().toList());
        all.add(0, worker);
        all.forEach(LocalCluster::kill);
    }

    /**
     * The driver's log (stderr of the ApplicationMaster's container) of the YARN application that
     * spark-submit's output names, from the NodeManager's log folder.
     */
    public Path applicationMasterLog(String submitOutput) throws IOException {
        String app = application(submitOutput);
        try (Stream<Path> s = Files.walk(dir.resolve("hadoop"))) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")
                            && p.getParent().getFileName().toString().endsWith("_01_000001")
                            && p.getParent().getParent().getFileName().toString().equals(app))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no container log of " + app));
        }
    }

    /**
     * How many ApplicationMaster attempts the YARN application that spark-submit's output names had:
     * its attempts' first containers ({@code container_<cluster>_<app>_<attempt>_000001}) in the
     * NodeManager's log folder.
     */
    public long applicationMasterAttempts(String submitOutput) throws IOException {
        String app = application(submitOutput);
        try (Stream<Path> s = Files.walk(dir.resolve("hadoop"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("_000001")
                            && p.getParent().getFileName().toString().equals(app))
                    .map(p -> p.getFileName().toString()).distinct().count();
        }
    }

    /** The YARN application that spark-submit's output names. */
    private static String application(String submitOutput) {
        Matcher m = Pattern.compile("application_\\d+_\\d+").matcher(submitOutput);
        if (!m.find()) {
            throw new IllegalStateException("spark-submit's output names no YARN application");
        }
        return m.group();
    }

    /** A running process's peak resident memory so far (the kernel's VmHWM), in MiB. */
    public static long peakRssMib(ProcessHandle h) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(h.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmHWM for process " + h.pid());
    }

    /** The logs (stderr) of every standalone executor this cluster ran, finished ones included. */
    public List<Path> standaloneExecutorLogs() throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path work = dir.resolve("work-" + i);
            if (Files.isDirectory(work)) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.filter(f -> f.getFileName().toString().equals("stderr")).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Where an executor writes its log: its working folder in standalone, the container's log folder on YARN. */
    static Optional<Path> executorLog(ProcessHandle h) {
        String cmd = commandLine(h);
        int i = cmd.indexOf("-Dspark.yarn.app.container.log.dir=");
        if (i >= 0) {
            String rest = cmd.substring(i + "-Dspark.yarn.app.container.log.dir=".length());
            return Optional.of(Path.of(rest.split("\\s")[0], "stderr"));
        }
        try {
            return Optional.of(Path.of("/proc", String.valueOf(h.pid()), "cwd").toRealPath().resolve("stderr"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The JVMs this cluster's processes forked (not the shells YARN starts them through). */
    private Stream<ProcessHandle> descendants() {
        return pids.values().stream().map(ProcessHandle::of).flatMap(Optional::stream)
                .flatMap(ProcessHandle::descendants)
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false));
    }

    static String commandLine(ProcessHandle h) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(h.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    // ---- stopping ----

    /**
     * Ends every process this cluster started, and what they forked: SIGTERM, then SIGKILL after
     * 30 s. A recorded pid now held by an unrelated process (not a java of this cluster) is left alone.
     */
    public void stop() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle h : alive(pids).values()) {
            all.addAll(h.descendants().toList());
            all.add(h);
        }
        all.forEach(ProcessHandle::destroy);
        Poll.within(Duration.ofSeconds(30), () -> all.stream().noneMatch(ProcessHandle::isAlive));
        all.forEach(ProcessHandle::destroyForcibly);
        pids.clear();
        try {
            writePids();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** One line per recorded process: name, pid, running or not. */
    public String status() {
        Map<String, ProcessHandle> alive = alive(pids);
        StringBuilder sb = new StringBuilder();
        pids.forEach((name, pid) -> sb.append(String.format("%-9s %8d  %s%n", name, pid,
                alive.containsKey(name) ? "running" : "not running")));
        if (!alive.isEmpty()) {
            sb.append("Spark master ").append(masterUrl()).append(", HDFS ").append(hdfsUri())
                    .append("\n. ").append(dir.resolve("cluster.env")).append(" to use it\n");
        }
        return sb.toString();
    }

    /** The recorded processes still running as what they were started as. */
    private static Map<String, ProcessHandle> alive(Map<String, Long> pids) {
        Map<String, ProcessHandle> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid)
                .filter(h -> h.isAlive() && commandLine(h).contains(name.equals("hadoop") ? "MiniHadoop"
                        : name.equals("master") ? "deploy.master.Master" : "deploy.worker.Worker"))
                .ifPresent(h -> out.put(name, h)));
        return out;
    }

    private void writePids() throws IOException {
        StringBuilder sb = new StringBuilder();
        pids.forEach((name, pid) -> sb.append(name).append(' ').append(pid).append('\n'));
        Files.writeString(dir.resolve("pids"), sb.toString());
    }

    private static Map<String, Long> readPids(Path dir) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        Path f = dir.resolve("pids");
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                String[] p = line.trim().split(" ");
                if (p.length == 2) {
                    pids.put(p[0], Long.parseLong(p[1]));
                }
            }
        }
        return pids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@code LocalCluster start|stop|status [DIR]}: what jobs/local-cluster.sh runs. */
    public static void main(String[] args) throws Exception {
        String verb = args.length > 0 ? args[0] : "status";
        Path dir = Path.of(args.length > 1 ? args[1] : "target/local-cluster");
        switch (verb) {
            case "start" -> {
                LocalCluster c = start(dir, Parts.fromBuild(Path.of("").toAbsolutePath()));
                System.out.print(c.status());
            }
            case "stop" -> {
                attach(dir).stop();
                System.out.println("stopped the cluster in " + dir.toAbsolutePath());
            }
            case "status" -> {
                LocalCluster c = attach(dir);
                System.out.print(c.pids.isEmpty() ? "no cluster in " + dir.toAbsolutePath() + "\n" : c.status());
            }
            default -> {
                System.err.println("usage: local-cluster.sh start|stop|status [DIR]");
                System.exit(2);
            }
        }
        // the started processes are not this JVM's to wait for
        System.exit(0);
    }
}
