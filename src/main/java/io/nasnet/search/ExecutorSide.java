package io.nasnet.search;

import io.nasnet.engine.ChildTask;

import io.nasnet.child.ChildResult;
import io.nasnet.child.ChildSpec;
import io.nasnet.child.ChildTrainer;
import io.nasnet.child.MemoryProbe;
import io.nasnet.child.Failures;
import io.nasnet.child.Rungs;
import io.nasnet.child.runtime.Backend;
import io.nasnet.child.ChildSettings;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.history.HistoryRecord;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What runs inside a Spark task: the task's CPUs ({@code spark.task.cpus}) and GPU handed to the
 * child runtime, the dataset loaded once per executor JVM (not once per task), then the child trained
 * into its history row, its failures classified ({@link Failures}).
 */
final class ExecutorSide {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSide.class);

    private ExecutorSide() {
    }

    static HistoryRecord run(ChildTask task, DataSpec data, ChildSettings settings, TrainerFactory factory,
                             Clock clock) {
        ChildTask.Rung rung = task.rung();
        if (rung != null) {
            java.util.Optional<HistoryRecord> done = RungFiles.row(task);
            if (done.isPresent()) {
                LOG.info("child {} of search {} round {} rung {}: trained before, its row read back", task.spec().index(),
                        task.spec().searchId(), task.spec().round(), rung.index());
                return done.get();
            }
        }
        Instant start = clock.instant();
        String gpu = bindResources();
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        ChildResult result;
        ChildSpec spec = task.spec();
        try {
            checkAllocator(System.getenv("LD_PRELOAD"), MemoryProbe.allocator());
            ChildTrainer trainer = factory.create(settings, gpu);
            ImageDataset dataset = Datasets.cached(data);
            LOG.info("training child {} of search {} round {}{} (task attempt {})", spec.index(), spec.searchId(),
                    spec.round(), rung == null ? "" : " to rung " + rung.index(), attempt);
            if (rung == null) {
                result = trainer.train(spec, dataset);
            } else {
                long until = new Rungs(rung.rungs(), rung.eta()).boundaries(settings.steps(dataset.train().size()))[rung.index()];
                byte[] from = rung.index() == 0 ? null : RungFiles.state(task, rung.index() - 1);
                ChildTrainer.Progress p = trainer.trainUntil(spec, dataset, from, until);
                if (p.state() != null) {
                    RungFiles.saveState(task, p.state());
                }
                result = p.result();
            }
        } catch (RuntimeException | Error e) {
            if (ctx != null && ctx.isInterrupted()) {
                throw e; // killed by Spark (a speculative copy that lost, a cancelled job): no row, no verdict
            }
            Failures.Kind kind = Failures.classify(e);
            int attempts = ctx == null ? 1 : maxAttempts(org.apache.spark.SparkEnv.get().conf());
            if (!Failures.isTheArchitectures(kind, attempt, attempts)) {
                // never a reward: the task fails, Spark tries it again elsewhere, or the round stops
                throw new Failures.EnvironmentException("child " + spec.index() + " of search " + spec.searchId()
                        + " round " + spec.round() + " on executor host " + Backend.host() + " (task attempt " + attempt
                        + " of " + attempts + "): " + e, e);
            }
            result = ChildResult.failed(spec, e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (kind == Failures.Kind.EITHER ? " (on each of " + attempts + " attempts)" : ""));
        }
        HistoryRecord row = HistoryRecord.of(result, task.archId(), task.strategy(), task.logProb(), task.parentArchId(),
                task.budget(), task.configHash(), start, clock.instant(), attempt);
        if (rung != null) {
            row = row.atRung(rung.index(), rung.rungs(), List.of(row.reward()), row.childSeconds());
            RungFiles.saveRow(task, row);
        }
        return row;
    }

    /**
     * Executors sized for jemalloc (jobs/submit-yarn.sh preloads it when the plan was measured with it)
     * take about three times the memory under glibc: a node where the preload did not load fails the
     * task at its start, naming the host, rather than having its container killed hours later.
     */
    static void checkAllocator(String preload, String allocator) {
        if (preload != null && preload.contains("jemalloc") && !allocator.equals("jemalloc")) {
            throw new Failures.EnvironmentException("executor host " + Backend.host() + " was sized for jemalloc, but "
                    + "LD_PRELOAD=" + preload + " did not load (install Debian's libjemalloc2 on every node): its "
                    + "children would take about three times the memory planned", null);
        }
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
     * The task's CPUs and GPU (Spark's "gpu" resource) bound to ND4J ({@link Backend}); returns the
     * GPU id or "".
     */
    static String bindResources() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            return "";
        }
        ResourceInformation gpu = ctx.resourcesJMap().get("gpu");
        return Backend.bind(Math.max(1, ctx.cpus()), gpu == null || gpu.addresses().length == 0 ? null
                : gpu.addresses()[0]);
    }
}
