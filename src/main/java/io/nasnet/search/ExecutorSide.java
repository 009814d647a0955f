package io.nasnet.search;

import io.nasnet.child.ChildResult;
import io.nasnet.child.ChildTrainer;
import io.nasnet.child.OneDnn;
import io.nasnet.child.TrainSettings;
import io.nasnet.data.DataSpec;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.history.HistoryRecord;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Instant;

/**
 * What runs inside a Spark task: the dataset loaded once per executor JVM (not once per task),
 * ND4J limited to the task's CPUs ({@code spark.task.cpus}), the GPU Spark assigned bound on a
 * CUDA backend, then the child trained into its history row.
 */
final class ExecutorSide {

    private ExecutorSide() {
    }

    static HistoryRecord run(ChildTask task, DataSpec data, TrainSettings settings, TrainerFactory factory) {
        Instant start = Instant.now();
        String gpu = bindResources();
        ChildResult result;
        try {
            ImageDataset dataset = Datasets.cached(data);
            ChildTrainer trainer = factory.create(settings, gpu);
            result = trainer.train(task.spec(), dataset);
        } catch (RuntimeException e) {
            // the dataset failed to load here: the child fails with the reason, the round goes on
            result = ChildResult.failed(task.spec(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return HistoryRecord.of(result, task.archId(), task.strategy(), task.logProb(), task.budget(),
                task.configHash(), start, Instant.now());
    }

    /** Threads from the task's CPU share; on CUDA, the device from the task's "gpu" resource. Returns the GPU id or "". */
    private static String bindResources() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            return "";
        }
        OneDnn.useThreads(Math.max(1, ctx.cpus()));
        ResourceInformation gpu = ctx.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return "";
        }
        String address = gpu.addresses()[0];
        if (!OneDnn.isCpuBackend()) {
            Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(address.trim()));
        }
        return address;
    }
}
