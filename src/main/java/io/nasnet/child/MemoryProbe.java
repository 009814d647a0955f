package io.nasnet.child;

import io.nasnet.child.onednn.FusedOpConf;
import io.nasnet.child.runtime.NativeMemory;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Genotype;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What one child takes out of the process that trains it, measured rather than guessed: the largest
 * cell the search space allows, at the configuration's stacking and batch, trained for two steps on the
 * configuration's own images and validated on one evaluation batch by the real trainer, in this JVM,
 * on this machine's backend and native allocator. Executor sizes are computed from it
 * (io.nasnet.search.ExecutorPlan).
 *
 * <p>The figure is the growth of the process's resident size, from before the child to the kernel's
 * high-water mark while it trained (reset through {@code /proc/self/clear_refs}): everything a child
 * holds at its peak, DL4J's workspaces, ND4J's and oneDNN's buffers and what the allocator keeps.
 * Linux only.
 */
public final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    /** The images the probe validates on: one of the trainer's evaluation batches. */
    /** Validation images the probe evaluates on. */
    public static final int EVALUATION_IMAGES = 256;

    /**
     * One child's measured memory.
     *
     * @param childBytes the process's growth while the child trained (its peak over what was resident before)
     * @param baseBytes  the process's native memory before the child: the JVM, ND4J and oneDNN loaded, heap excluded
     * @param allocator  the native allocator that served it ("jemalloc" or "glibc")
     * @param genotype   the child measured
     * @param n          its stacking's N
     * @param f          its stacking's F
     * @param batch      its batch size
     * @param seconds    how long the probe took
     */
    public record Measurement(long childBytes, long baseBytes, String allocator, String genotype, int n, int f,
                              int batch, double seconds) {
    }

    private MemoryProbe() {
    }

    /**
     * The cell that holds the most at once: every block reads both cell inputs through 7x7 separable
     * convolutions (the ops with the most intermediate activations) and concatenates them, so that each
     * block's output is twice the filters, and none is read again, so that all of them form the cell's
     * output. Used as both the Normal and the Reduction cell.
     */
    public static Genotype largestCell(int blocks) {
        String block = "(0 sep7x7, 1 sep7x7, concat)";
        String cell = IntStream.range(0, blocks).mapToObj(b -> block).collect(Collectors.joining(" "))
                + " concat " + IntStream.range(2, blocks + 2).mapToObj(String::valueOf).collect(Collectors.joining(" "));
        return Genotype.parse("normal " + cell + " | reduction " + cell);
    }

    /** Measures the largest child of {@code blocks} blocks at {@code settings}, on {@code data}'s images. */
    public static Measurement measure(ChildSettings settings, int blocks, ImageDataset data) {
        return measure(settings, largestCell(blocks), data);
    }

    /** Measures {@code genotype} as a child at {@code settings}, on {@code data}'s images. */
    public static Measurement measure(ChildSettings settings, Genotype genotype, ImageDataset data) {
        if (!Files.isReadable(STATUS)) {
            throw new IllegalStateException("measuring a child's memory needs Linux's /proc/self/status");
        }
        int batch = settings.batchSize();
        if (data.train().size() < 2 * batch) {
            throw new IllegalArgumentException("the probe trains two batches of " + batch + " images; the dataset '"
                    + data.name() + "' has " + data.train().size() + " training images");
        }
        ImageDataset probe = new ImageDataset(data.name(), data.train().head(2 * batch),
                data.validation().head(EVALUATION_IMAGES), data.test().head(1), data.labels(), data.mean(), data.std());
        ChildSettings once = new ChildSettings(settings.n(), settings.f(), 1, batch, settings.learningRate(),
                settings.weightDecay(), 1, settings.padCrop(), settings.flip(), settings.memoryLimit(), settings.size(), 0, 0, settings.reward(),
                settings.zeroCost());
        // ND4J's and oneDNN's libraries are the process's, not the child's
        Nd4j.zeros(1).addi(1);
        FusedOpConf.available();
        System.gc();
        NativeMemory.trim();
        long before = status("VmRSS:");
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        resetPeak();
        long start = System.nanoTime();
        ChildResult r = new Dl4jTrainer(once).train(new ChildSpec("memory-probe", 0, 0, genotype.text(), 1), probe);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = status("VmHWM:");
        if (r.status() != Status.OK) {
            throw new IllegalStateException("the memory probe's child did not train (" + r.status() + "): " + r.error());
        }
        return new Measurement(Math.max(0, peak - before), Math.max(0, before - heap), allocator(), genotype.text(),
                settings.n(), settings.f(), batch, seconds);
    }

    /** "jemalloc" when it serves this process's malloc (preloaded), else "glibc". */
    public static String allocator() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjemalloc") ? "jemalloc" : "glibc";
        } catch (IOException e) {
            return "glibc";
        }
    }

    /** Starts the kernel's high-water mark of this process again from its current resident size. */
    private static void resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the process's peak resident size (" + CLEAR_REFS + "): "
                    + e.getMessage(), e);
        }
    }

    /** A size line of /proc/self/status ("VmRSS:", "VmHWM:"), in bytes. */
    public static long status(String key) {
        try {
            return Files.readAllLines(STATUS).stream().filter(l -> l.startsWith(key))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + key + " in " + STATUS));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS + ": " + e.getMessage(), e);
        }
    }

    /** The measurement in a line: "1.23 GB per child (jemalloc), 0.35 GB before it". */
    public static String describe(Measurement m) {
        return String.format(Locale.ROOT, "%.2f GB per child (N=%d, F=%d, batch %d, %s), %.2f GB of native memory "
                + "before it", m.childBytes() / 1e9, m.n(), m.f(), m.batch(), m.allocator(), m.baseBytes() / 1e9);
    }
}
