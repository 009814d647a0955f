package io.nasnet.bench;

import io.nasnet.child.runtime.NativeMemory;
import io.nasnet.child.MemoryProbe;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.runtime.Dl4jRuntime;
import io.nasnet.child.Stacking;
import io.nasnet.search.SearchConfig;
import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training speed of children: images per second over timed iterations (after warm-up) and the
 * process's peak resident memory. With {@code children > 1} that many children train at once in
 * one JVM, as the tasks of one Spark executor do, and the figure is their total. Run one
 * configuration per JVM so the memory figure is its own: {@code bench/child-speed.sh} runs the
 * standard set.
 *
 * <p>Arguments: {@code n f size channels [batch] [iterations] [children] [genotype|NASNet-A]}.
 * Each child runs on its share of the cores ({@link Dl4jRuntime#useThreads}, as a Spark task on
 * {@code spark.task.cpus}); the system property
 * {@code nasnet.child.memory-limit} (a size such as {@code 1200M}) gives each child that memory
 * limit, read as the configuration key of the same name. Peak RSS is the kernel's high-water mark of the
 * process ({@code VmHWM}), warm-up included.
 */
public final class ChildSpeed {

    private ChildSpeed() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int f = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int channels = Integer.parseInt(args[3]);
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        int children = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        Genotype g = args.length > 7 && !Presets.isPreset(args[7]) ? Genotype.parse(args[7]) : Presets.NASNET_A;

        String limitSize = System.getProperty("nasnet.child.memory-limit", "0");
        long limit = SearchConfig.load(null, List.of("child.memory-limit=" + limitSize)).child().memoryLimit();
        AtomicLong params = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(children);
        List<Future<double[]>> runs = new ArrayList<>();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / children);
        for (int c = 0; c < children; c++) {
            int seed = c;
            runs.add(pool.submit(() -> {
                Dl4jRuntime.useThreads(threads);
                try (NativeMemory.Reservation ignored = NativeMemory.reserve(limit)) {
                    return run(g, n, f, size, channels, batch, iterations, seed, params);
                }
            }));
        }
        double total = 0;
        for (Future<double[]> r : runs) {
            double[] seconds = r.get();
            Arrays.sort(seconds);
            total += batch / seconds[seconds.length / 2];
        }
        pool.shutdown();
        System.out.printf("N=%d F=%d input=%dx%dx%d batch=%d children=%d oneDNN=%s memory-limit=%s: params=%d %.1f images/s "
                        + "(sum of medians over %d iterations), peak RSS %.2f GB, %d thread(s) per child%n",
                n, f, size, size, channels, batch, children, Dl4jRuntime.enabled(),
                limit > 0 ? String.format("%.2f GB", limit / 1e9) : "none", params.get(), total, iterations,
                MemoryProbe.status("VmHWM:") / 1e9, threads);
    }

    private static double[] run(Genotype g, int n, int f, int size, int channels, int batch, int iterations,
                                int seed, AtomicLong params) {
        ComputationGraph net = NetworkBuilder.network(g, Stacking.cifar(n, f, size, size, channels, 10),
                NetworkOptions.search(0.05, 5e-4, seed));
        params.set(net.numParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, channels, size, size);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 2; i++) {
            net.fit(ds);
        }
        double[] seconds = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            net.fit(ds);
            seconds[i] = (System.nanoTime() - t) / 1e9;
        }
        return seconds;
    }
}
