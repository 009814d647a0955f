package io.nasnet.child.runtime;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's backend bound to where a child runs: its thread count and, on CUDA, its GPU; and the
 * errors that name what a backend that does not load or does not fit the task needs.
 */
public final class Backend {

    private Backend() {
    }

    /** The name of the machine this JVM runs on, as results and errors record it. */
    public static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * The calling thread's native work on {@code cpus} threads; on CUDA, the device {@code gpu} (an
     * address Spark assigned, or null). Returns the GPU id or "". Fails, before any training, when
     * this JVM's backend cannot serve a task with (or without) a GPU.
     */
    public static String bind(int cpus, String gpu) {
        boolean gpuAssigned = gpu != null;
        String backend = loadedBackend(() -> Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
        backendMismatch(backend, gpuAssigned).ifPresent(m -> {
            throw new IllegalStateException(m + " (executor host " + host() + ")");
        });
        Dl4jRuntime.useThreads(cpus);
        if (!gpuAssigned) {
            return "";
        }
        String address = gpu;
        if (!Dl4jRuntime.isCpuBackend()) {
            Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(address.trim()));
        }
        return address;
    }

    /** ND4J's backend name ("CPU", "CUDA"), or an error naming what a backend that did not load needs. */
    public static String loadedBackend(java.util.function.Supplier<String> load) {
        try {
            return load.get();
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("ND4J's backend did not load on executor host " + host() + ": " + root
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
    public static java.util.Optional<String> backendMismatch(String backend, boolean gpuAssigned) {
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
