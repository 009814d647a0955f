package io.nasnet.search;

import io.nasnet.child.MemoryProbe;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Executor sizes computed from a measured child ({@link MemoryProbe}) instead of guessed: how many
 * children an executor trains at once, the JVM heap it needs (the dataset, held once per executor as
 * bytes, and Spark's own), and the memory beyond the heap (YARN's {@code memoryOverhead}: the native
 * memory of the JVM and its libraries, and each child's measured peak with a margin). The container a
 * cluster manager grants is their sum.
 *
 * @param children       children trained at once per executor: one per core (CPU executors, {@code
 *                       spark.task.cpus=1}) or one per GPU
 * @param heapBytes      {@code spark.executor.memory}
 * @param overheadBytes  {@code spark.executor.memoryOverhead}
 * @param child          the measurement the plan follows
 * @param datasetBytes   the dataset's bytes, held on the heap of every executor
 */
public record ExecutorPlan(int cores, int gpus, int children, long heapBytes, long overheadBytes,
                           MemoryProbe.Measurement child, long datasetBytes) {

    static final long MIB = 1L << 20;
    /** A child's measured peak moves by a few percent from run to run and over many children in one JVM. */
    static final double MARGIN = 1.25;
    /** Spark's own floor for the memory beyond the heap, and the least heap an executor gets. */
    static final long MIN_OVERHEAD = 384 * MIB;
    static final long MIN_HEAP = 1024 * MIB;
    /** Heap for Spark's executor itself and a child's own Java objects. */
    static final long SPARK_HEAP = 512 * MIB;
    static final long CHILD_HEAP = 128 * MIB;
    /** Sizes are rounded up to this, as YARN rounds containers up to its allocation step. */
    static final long STEP = 256 * MIB;

    /** The plan for executors of {@code cores} cores and {@code gpus} GPUs (0: CPU executors). */
    public static ExecutorPlan of(MemoryProbe.Measurement child, long datasetBytes, int cores, int gpus) {
        if (cores < 1 || gpus < 0) {
            throw new IllegalArgumentException("an executor has at least one core and no negative number of GPUs");
        }
        int children = gpus > 0 ? gpus : cores;
        return new ExecutorPlan(cores, gpus, children, heapFor(children, datasetBytes), overheadFor(children, child),
                child, datasetBytes);
    }

    private static long heapFor(int children, long datasetBytes) {
        // the dataset is read into byte arrays and split, briefly twice over
        return roundUp(Math.max(MIN_HEAP, SPARK_HEAP + 2 * datasetBytes + children * CHILD_HEAP));
    }

    private static long overheadFor(int children, MemoryProbe.Measurement child) {
        return roundUp(Math.max(MIN_OVERHEAD, child.baseBytes() + (long) Math.ceil(children * child.childBytes() * MARGIN)));
    }

    private static long roundUp(long bytes) {
        return (bytes + STEP - 1) / STEP * STEP;
    }

    /** The container a cluster manager grants for it: heap plus overhead. */
    public long containerBytes() {
        return heapBytes + overheadBytes;
    }

    /** How many children fit an executor of {@code containerBytes} at most (0: not even one). */
    public int childrenThatFit(long containerBytes) {
        int k = 0;
        while (k < 4096 && of(child, datasetBytes, k + 1, 0).containerBytes() <= containerBytes) {
            k++;
        }
        return k;
    }

    /**
     * Why this plan cannot run in containers of at most {@code largestContainer} bytes (0: unknown), or
     * with the memory asked for ({@code heap}, {@code overhead}; 0: as planned); empty when it can.
     */
    public Optional<String> refusal(long largestContainer, long heap, long overhead) {
        String need = String.format(Locale.ROOT, "%d child(ren) at once need %s of heap and %s beyond it (%s)",
                children, size(heapBytes), size(overheadBytes), MemoryProbe.describe(child));
        if (largestContainer > 0 && containerBytes() > largestContainer) {
            int fit = childrenThatFit(largestContainer);
            return Optional.of(need + "; the largest container is " + size(largestContainer) + ": "
                    + (fit == 0 ? "not even one child fits; use a smaller child (child.n, child.f, child.batch-size) "
                    + "or larger containers" : "at most " + fit + " child(ren) per executor fit (executor cores "
                    + fit + (gpus > 0 ? ", or fewer GPUs" : "") + ")"));
        }
        if (heap > 0 && heap < heapBytes) {
            return Optional.of(need + "; the executor's heap of " + size(heap) + " is below that");
        }
        if (overhead > 0 && overhead < overheadBytes) {
            long per = (long) Math.ceil(child.childBytes() * MARGIN);
            long room = overhead - child.baseBytes();
            return Optional.of(need + "; the executor's " + size(overhead) + " beyond the heap "
                    + (room < per ? "cannot hold one child" : "holds " + (room / per) + " child(ren) at once"));
        }
        return Optional.empty();
    }

    /** The Spark settings of the plan, as spark-submit takes them. */
    public Map<String, String> sparkSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.executor.cores", String.valueOf(cores));
        s.put("spark.executor.memory", sparkSize(heapBytes));
        s.put("spark.executor.memoryOverhead", sparkSize(overheadBytes));
        s.put("spark.task.cpus", String.valueOf(gpus > 0 ? Math.max(1, cores / gpus) : 1));
        return s;
    }

    /** A size as spark-submit takes it, in whole MiB: "1536m". */
    public static String sparkSize(long bytes) {
        return (bytes + MIB - 1) / MIB + "m";
    }

    /** A size for people: "1.50 GB", "12 MB". */
    public static String size(long bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    /** The plan as a table: what was measured, what follows, and the settings. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "child measured: %s (largest cell of the space, %.0f s)%n",
                MemoryProbe.describe(child), child.seconds()));
        s.append(String.format(Locale.ROOT, "dataset held per executor: %s%n", size(datasetBytes)));
        s.append(String.format(Locale.ROOT, "executor: %d core(s)%s, %d child(ren) at once%n", cores,
                gpus > 0 ? ", " + gpus + " GPU(s)" : "", children));
        s.append(String.format(Locale.ROOT, "  heap      %s = max(1 GiB, 512 MiB + 2 x dataset + %d x 128 MiB)%n",
                size(heapBytes), children));
        s.append(String.format(Locale.ROOT, "  overhead  %s = native before the child + %d x child x %.2f%n",
                size(overheadBytes), children, MARGIN));
        s.append(String.format(Locale.ROOT, "  container %s%n", size(containerBytes())));
        sparkSettings().forEach((k, v) -> s.append("--conf ").append(k).append('=').append(v).append('\n'));
        return s.toString();
    }
}
