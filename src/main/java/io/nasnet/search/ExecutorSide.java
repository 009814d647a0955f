package io.nasnet.search;

import io.nasnet.child.ChildResult;
import io.nasnet.child.ChildSpec;
import io.nasnet.child.ChildTrainer;
import io.nasnet.child.Failures;
import io.nasnet.child.runtime.Dl4jRuntime;
import io.nasnet.child.TrainSettings;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.history.HistoryRecord;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * What runs inside a Spark task: the dataset loaded once per executor JVM (not once per task),
 * ND4J limited to the task's CPUs ({@code spark.task.cpus}), the GPU Spark assigned bound on a
 * CUDA backend, then the child trained into its history row.
 */
final class ExecutorSide {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSide.class);

    private ExecutorSide() {
    }

    static HistoryRecord run(ChildTask task, DataSpec data, TrainSettings settings, TrainerFactory factory) {
        Instant start = Instant.now();
        String gpu = bindResources();
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        ChildResult result;
        ChildSpec spec = task.spec();
        try {
            ChildTrainer trainer = factory.create(settings, gpu);
            ImageDataset dataset = Datasets.cached(data);
            LOG.info("training child {} of search {} round {} (task attempt {})", spec.index(), spec.searchId(),
                    spec.round(), attempt);
            result = trainer.train(spec, dataset);
        } catch (RuntimeException | Error e) {
            if (ctx != null && ctx.isInterrupted()) {
                throw e; // killed by Spark (a speculative copy that lost, a cancelled job): no row, no verdict
            }
            Failures.Kind kind = Failures.classify(e);
            int attempts = ctx == null ? 1 : maxAttempts(org.apache.spark.SparkEnv.get().conf());
            if (!Failures.isTheArchitectures(kind, attempt, attempts)) {
                // never a reward: the task fails, Spark tries it again elsewhere, or the round stops
                throw new Failures.EnvironmentException("child " + spec.index() + " of search " + spec.searchId()
                        + " round " + spec.round() + " on executor host " + ChildResult.localHost() + " (task attempt " + attempt
                        + " of " + attempts + "): " + e, e);
            }
            result = ChildResult.failed(spec, e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (kind == Failures.Kind.EITHER ? " (on each of " + attempts + " attempts)" : ""));
        }
        return HistoryRecord.of(result, task.archId(), task.strategy(), task.logProb(), task.budget(),
                task.configHash(), start, Instant.now(), attempt);
    }

    /**
     * How many times Spark runs a task before the job fails: {@code spark.task.maxFailures} on a
     * cluster; in local mode the F of {@code local[N,F]}, else once.
     */
    static int maxAttempts(org.apache.spark.SparkConf conf) {
        String master = conf.get("spark.master", "");
        if (master.startsWith("local")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[[^,\\]]+,\\s*(\\d+)\\]").matcher(master);
            return m.matches() ? Integer.parseInt(m.group(1)) : 1;
        }
        return conf.getInt("spark.task.maxFailures", 4);
    }

    /**
     * Threads from the task's CPU share; on CUDA, the device from the task's "gpu" resource. Returns
     * the GPU id or "". Fails the task, before any training, when this executor's backend is not
     * the one the job asks for.
     */
    private static String bindResources() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            return "";
        }
        ResourceInformation gpu = ctx.resourcesJMap().get("gpu");
        boolean gpuAssigned = gpu != null && gpu.addresses().length > 0;
        String backend = loadedBackend(() -> Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
        backendMismatch(backend, gpuAssigned).ifPresent(m -> {
            throw new IllegalStateException(m + " (executor host " + ChildResult.localHost() + ")");
        });
        Dl4jRuntime.useThreads(Math.max(1, ctx.cpus()));
        if (!gpuAssigned) {
            return "";
        }
        String address = gpu.addresses()[0];
        if (!Dl4jRuntime.isCpuBackend()) {
            Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(address.trim()));
        }
        return address;
    }

    /** ND4J's backend name ("CPU", "CUDA"), or an error naming what a backend that did not load needs. */
    static String loadedBackend(java.util.function.Supplier<String> load) {
        try {
            return load.get();
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("ND4J's backend did not load on executor host " + ChildResult.localHost() + ": " + root
                    + "." + cudaRuntimeProblem() + " The CUDA build (-Pcuda, nd4j-cuda-11.6) needs the CUDA 11.6 runtime (libcudart.so.11.0, "
                    + "libcublas.so.11, libcusolver.so.11, libcusparse.so.11) and an NVIDIA driver on every node "
                    + "that runs executors; the CPU build needs neither.", e);
        }
    }

    /**
     * In a CUDA build, why the CUDA runtime's JNI library does not link (ND4J only logs it and reports
     * "no backend"), e.g. {@code libcuda.so.1: cannot open shared object file}; "" otherwise. The
     * library is where JavaCPP extracted it when ND4J tried to load it.
     */
    private static String cudaRuntimeProblem() {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(
                org.bytedeco.javacpp.Loader.getCacheDir().toPath())) {
            java.util.Optional<java.nio.file.Path> jni = files
                    .filter(f -> f.getFileName().toString().equals("libjnicudart.so")).findFirst();
            if (jni.isEmpty()) {
                return "";
            }
            System.load(jni.get().toString());
            return "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        } catch (UnsatisfiedLinkError e) {
            return " The CUDA runtime does not load: " + e.getMessage() + ".";
        }
    }

    /** Why a backend cannot run a task with or without a GPU assigned, if it cannot. */
    static java.util.Optional<String> backendMismatch(String backend, boolean gpuAssigned) {
        boolean cpu = "CPU".equalsIgnoreCase(backend);
        if (gpuAssigned && cpu) {
            return java.util.Optional.of("this task was given a GPU but the jar's ND4J backend is the CPU one: "
                    + "build the jar with -Pcluster,cuda, or set GPUS_PER_EXECUTOR=0 "
                    + "(no spark.task.resource.gpu.amount) for CPU executors");
        }
        if (!gpuAssigned && !cpu) {
            return java.util.Optional.of("the jar's ND4J backend is " + backend + " but this task was given no GPU: "
                    + "set spark.executor.resource.gpu.amount and spark.task.resource.gpu.amount=1 "
                    + "(jobs/submit-yarn.sh: GPUS_PER_EXECUTOR), or build the CPU jar (-Pcluster)");
        }
        return java.util.Optional.empty();
    }
}
