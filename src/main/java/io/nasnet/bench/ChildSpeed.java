package io.nasnet.bench;

import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.OneDnn;
import io.nasnet.child.Stacking;
import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Training speed of one child: images per second over timed iterations (after warm-up) and the
 * process's peak resident memory. Run one configuration per JVM so the memory figure is its own:
 * {@code bench/child-speed.sh} runs the standard set.
 *
 * <p>Arguments: {@code n f size channels [batch] [iterations] [genotype|NASNet-A]}.
 */
public final class ChildSpeed {

    private ChildSpeed() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int f = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int channels = Integer.parseInt(args[3]);
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        Genotype g = args.length > 6 && !Presets.isPreset(args[6]) ? Genotype.parse(args[6]) : Presets.NASNET_A;

        ComputationGraph net = NetworkBuilder.network(g, Stacking.cifar(n, f, size, size, channels, 10),
                NetworkOptions.search(0.05, 5e-4, 1));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, channels, size, size);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 2; i++) {
            net.fit(ds);
        }
        long peak = Pointer.physicalBytes();
        double[] seconds = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            net.fit(ds);
            seconds[i] = (System.nanoTime() - t) / 1e9;
            peak = Math.max(peak, Pointer.physicalBytes());
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[iterations / 2];
        System.out.printf("N=%d F=%d input=%dx%dx%d batch=%d oneDNN=%s: %.1f images/s (median of %d iterations), "
                        + "peak RSS %.2f GB, threads %d%n",
                n, f, size, size, channels, batch, OneDnn.enabled(), batch / median, iterations, peak / 1e9,
                Nd4j.getEnvironment().maxMasterThreads());
    }
}
