package io.nasnet.cli;

import io.nasnet.child.MemoryProbe;
import io.nasnet.search.SearchConfig;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
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
 * ({@link MemoryProbe}); exit 1 when the children cannot fit the containers or the memory asked for.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Measure the largest child of a configuration on this machine and print the executor "
                + "settings that follow (heap, memory overhead, children per executor); exit 1 when they cannot "
                + "fit the largest container or the memory given.")
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
        if (!List.of("table", "env").contains(format)) {
            throw new IllegalArgumentException("--format is table or env, not '" + format + "'");
        }
        SearchConfig config = options.load(List.of());
        ImageDataset data = Datasets.load(config.data());
        MemoryProbe.Measurement m = MemoryProbe.measure(config.child(), config.blocks(), data);
        long datasetBytes = (long) data.train().pixels().length + data.validation().pixels().length
                + data.test().pixels().length;
        ExecutorPlan plan = ExecutorPlan.of(m, datasetBytes, cores, gpus);
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> refusal = plan.refusal(bytes(largestContainer), bytes(heap), bytes(overhead));
        if (format.equals("env")) {
            out.println("EXECUTOR_MEMORY=" + ExecutorPlan.sparkSize(plan.heapBytes()));
            out.println("EXECUTOR_OFFHEAP=" + ExecutorPlan.sparkSize(plan.overheadBytes()));
            out.println("CHILD_ALLOCATOR=" + m.allocator());
            out.println("PLAN=" + quote(MemoryProbe.describe(m)));
        } else {
            out.print(plan.describe());
        }
        out.flush();
        refusal.ifPresent(r -> {
            spec.commandLine().getErr().println("error: " + r);
            spec.commandLine().getErr().flush();
        });
        return refusal.isPresent() ? 1 : 0;
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
