package io.nasnet.bench;

import io.nasnet.child.ChildSettings;
import io.nasnet.child.MemoryProbe;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.child.runtime.Dl4jRuntime;
import io.nasnet.child.runtime.NativeMemory;
import io.nasnet.search.SearchConfig;
import io.nasnet.space.Presets;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;

/**
 * Where a child's bytes are: for one child, or several in a row in one JVM as an executor trains
 * them, the JVM heap (used, committed), JavaCPP's native bytes (physical: what it sees of the
 * process; tracked: what it allocated itself, ND4J's buffers among them) and the process's resident
 * size (now, and the kernel's high-water mark) after each phase: the network built, its first
 * training step, the steady state, and the child released as a task releases it. oneDNN's and
 * OpenBLAS's own scratch buffers are not tracked by JavaCPP; they show as RSS beyond the tracked bytes.
 *
 * <p>Arguments: {@code speed|local|yarn [children=1] [steps=20] [keep]}: the network of {@link ChildSpeed}'s
 * standard line (NASNet-A, N=1, F=16, 32x32x3, batch 64), the child of conf/local.conf (28x28x1,
 * the shipped Fashion-MNIST), or the child of conf/yarn.conf (32x32x3, CIFAR-10), each on random
 * images of its input size. After each child freed native memory goes back to the OS as the trainer
 * gives it back ({@link NativeMemory#afterChild()}: jemalloc's purge, or glibc's {@code malloc_trim});
 * {@code keep} leaves it to the allocator. {@code bench/child-memory.sh} runs the standard set, one JVM per line.
 */
public final class ChildMemory {

    private ChildMemory() {
    }

    /** One reading. */
    record Reading(String phase, long heapUsed, long heapCommitted, long physical, long tracked, long rss, long hwm) {

        static Reading now(String phase) {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return new Reading(phase, heap.getUsed(), heap.getCommitted(), Pointer.physicalBytes(),
                    Pointer.totalBytes(), MemoryProbe.status("VmRSS:"), MemoryProbe.status("VmHWM:"));
        }

        String line() {
            return String.format(Locale.ROOT, "| %-22s | %7.0f | %7.0f | %7.0f | %7.0f | %7.0f | %7.0f |", phase,
                    heapUsed / 1e6, heapCommitted / 1e6, physical / 1e6, tracked / 1e6, rss / 1e6, hwm / 1e6);
        }
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "speed";
        int children = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        boolean giveBack = !(args.length > 3 && args[3].equals("keep"));
        Stacking stacking;
        int batch;
        switch (which) {
            case "speed" -> {
                stacking = Stacking.cifar(1, 16, 32, 32, 3, 10);
                batch = 64;
            }
            case "local", "yarn" -> {
                ChildSettings c = SearchConfig.load(new File("conf/" + which + ".conf"), List.of()).child();
                int size = which.equals("local") ? 28 : 32;
                int channels = which.equals("local") ? 1 : 3;
                stacking = Stacking.cifar(c.n(), c.f(), size, size, channels, 10);
                batch = c.batchSize();
            }
            default -> throw new IllegalArgumentException("the child is speed, local or yarn, not '" + which + "'");
        }
        Dl4jRuntime.useThreads(Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%s child: NASNet-A %s, batch %d, %d step(s) each, %d child(ren) in one JVM "
                        + "(-Xmx %.0f MB)%n", which, stacking.label(), batch, steps, children,
                Runtime.getRuntime().maxMemory() / 1e6);
        System.out.println("| phase                  | heap MB | heap committed | JavaCPP physical | JavaCPP tracked "
                + "| RSS MB | peak RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.println(Reading.now("start").line());
        long firstPeak = 0;
        long lastPeak = 0;
        for (int c = 0; c < children; c++) {
            boolean report = c == 0 || c == children - 1;
            String who = children == 1 ? "" : " (child " + (c + 1) + ")";
            // as the trainer holds a child: with jemalloc, a workspace being sized purges what the first step freed
            NativeMemory.Reservation reservation = NativeMemory.reserve(0);
            ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, stacking, NetworkOptions.search(0.05, 5e-4, c));
            if (report) {
                System.out.println(Reading.now("built" + who).line());
            }
            DataSet data = batch(stacking, batch, c);
            net.fit(data);
            if (report) {
                System.out.println(Reading.now("first step" + who).line());
            }
            long peak = 0;
            for (int i = 1; i < steps; i++) {
                net.fit(data);
                peak = Math.max(peak, MemoryProbe.status("VmRSS:"));
            }
            if (report) {
                System.out.println(Reading.now("steady" + who).line());
            }
            net.clear();
            reservation.close();
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            System.gc();
            if (giveBack) {
                NativeMemory.afterChild();
            }
            if (report) {
                System.out.println(Reading.now("after" + who).line());
            }
            if (c == 0) {
                firstPeak = peak;
            }
            lastPeak = peak;
        }
        if (children > 1) {
            System.out.printf(Locale.ROOT, "steady-state RSS of child %d against child 1: %.0f MB against %.0f MB "
                    + "(%+.1f%%)%n", children, lastPeak / 1e6, firstPeak / 1e6, 100.0 * (lastPeak - firstPeak) / firstPeak);
        }
    }

    private static DataSet batch(Stacking s, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, s.channels(), s.height(), s.width());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, s.classes());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % s.classes(), 1f);
        }
        return new DataSet(x, y);
    }
}
