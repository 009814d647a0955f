package io.nasnet.cli;

import io.nasnet.child.MemoryProbe;
import io.nasnet.search.SearchConfig;
import io.nasnet.data.Datasets;
import io.nasnet.config.ConfigException;
import io.nasnet.data.DataShape;
import io.nasnet.data.DatasetException;
import io.nasnet.search.ExecutorPlan;
import org.apache.spark.network.util.JavaUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code plan}: executor sizes for a configuration's children, from one child measured here
 * ({@link MemoryProbe}) on images of the dataset's shape, so that a gateway that cannot read the
 * dataset can still plan; its exit code says what failed: the memory, the configuration, the data
 * or the measurement.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Measure the largest child of a configuration on this machine, on images of the dataset's "
                + "shape (read from IDX headers; CIFAR-10's is its format's), and print the executor settings that "
                + "follow (heap, memory overhead, children per executor). Exit 1 when they cannot fit the largest "
                + "container or the memory given, 2 on a configuration refused, 3 on a dataset that cannot be "
                + "read, 4 when the measured child fails.")
final class PlanCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--cores", defaultValue = "1", description = "cores per executor (default ${DEFAULT-VALUE})")
    int cores;

    @Option(names = "--gpus", defaultValue = "0",
            description = "GPUs per executor, one child each; 0 = CPU executors, one child per core (default ${DEFAULT-VALUE})")
    int gpus;

    @Option(names = "--largest-container", description = "the cluster's largest container (YARN's "
            + "yarn.scheduler.maximum-allocation-mb), e.g. 16g: refuse a plan that exceeds it")
    String largestContainer;

    @Option(names = "--executor-memory", description = "the heap asked for, e.g. 4g: refuse it if it is below the plan's")
    String heap;

    @Option(names = "--executor-overhead", description = "the memory beyond the heap asked for, e.g. 6g: refuse it "
            + "if it is below the plan's")
    String overhead;

    @Option(names = "--format", defaultValue = "table",
            description = "table (for people) or env (EXECUTOR_MEMORY=..., EXECUTOR_OFFHEAP=... lines for jobs/submit-yarn.sh)")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("table", "env").contains(format)) {
            return refuse(err, CONFIGURATION, "the command line: --format is table or env, not '" + format + "'");
        }
        SearchConfig config;
        long largest;
        long asked;
        long askedOverhead;
        try {
            config = options.load(List.of());
            largest = bytes(largestContainer);
            asked = bytes(heap);
            askedOverhead = bytes(overhead);
        } catch (ConfigException | IllegalArgumentException e) {
            return refuse(err, CONFIGURATION, "the configuration: " + e.getMessage());
        }
        DataShape shape;
        try {
            shape = Datasets.shape(config.data());
        } catch (DatasetException e) {
            return refuse(err, DATA, "the data: " + e.getMessage() + " (the plan reads only IDX headers, and "
                    + "nothing of data.format = cifar10)");
        }
        MemoryProbe.Measurement m;
        try {
            m = MemoryProbe.measure(config.child(), config.blocks(),
                    shape.synthetic(2 * config.child().batchSize(), MemoryProbe.EVALUATION_IMAGES, 0));
        } catch (RuntimeException e) {
            return refuse(err, MEASUREMENT, "the measurement: " + e.getMessage());
        }
        long datasetBytes = shape.bytes();
        ExecutorPlan plan = ExecutorPlan.of(m, datasetBytes, cores, gpus);
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> refusal = plan.refusal(largest, asked, askedOverhead);
        if (format.equals("env")) {
            out.println("EXECUTOR_MEMORY=" + ExecutorPlan.sparkSize(plan.heapBytes()));
            out.println("EXECUTOR_OFFHEAP=" + ExecutorPlan.sparkSize(plan.overheadBytes()));
            out.println("CHILD_ALLOCATOR=" + m.allocator());
            out.println("PLAN=" + quote(MemoryProbe.describe(m)));
        } else {
            out.print(plan.describe());
        }
        out.flush();
        return refusal.map(r -> refuse(err, MEMORY, "the memory: " + r)).orElse(0);
    }

    /** Exit codes by what failed, for jobs/submit-yarn.sh to say which. */
    static final int MEMORY = 1;
    static final int CONFIGURATION = 2;
    static final int DATA = 3;
    static final int MEASUREMENT = 4;

    private static int refuse(PrintWriter err, int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }

    /** A size as Spark writes it (4g, 512m; a bare number is bytes), 0 when not given. */
    private static long bytes(String size) {
        if (size == null || size.isBlank()) {
            return 0;
        }
        try {
            return JavaUtils.byteStringAsBytes(size.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + size + "' is not a size such as 4g or 512m");
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
