package io.nasnet.search;

import io.nasnet.child.ChildResult;
import io.nasnet.child.ChildSpec;
import io.nasnet.child.ChildTrainer;
import io.nasnet.child.Status;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Genotype;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test double for pipeline tests: no training; the reward is the fraction of separable-conv ops
 * of the genotype. Children whose index is in {@code failIndices} throw, as a crashing trainer
 * would; those in {@code environmentFailIndices} find their dataset gone, as on an executor that lost
 * it. Counts how often each genotype was "trained".
 */
final class SyntheticTrainer implements ChildTrainer {

    static final Map<String, Integer> TRAINED = new ConcurrentHashMap<>();

    private final io.nasnet.child.ChildSettings settings;
    private final List<Integer> failIndices;
    private final List<Integer> environmentFailIndices;

    SyntheticTrainer(io.nasnet.child.ChildSettings settings, List<Integer> failIndices, List<Integer> environmentFailIndices) {
        this.settings = settings;
        this.failIndices = failIndices;
        this.environmentFailIndices = environmentFailIndices;
    }

    static TrainerFactory factory(List<Integer> failIndices) {
        return (settings, gpu) -> new SyntheticTrainer(settings, failIndices, List.of());
    }

    static TrainerFactory environmentFailure(List<Integer> indices) {
        return (settings, gpu) -> new SyntheticTrainer(settings, List.of(), indices);
    }

    /**
     * The dataset's files vanish when the first trainer is made, as on an executor that lost them
     * after the driver's preflight had read them: the real loader then finds them gone.
     */
    static TrainerFactory datasetVanishes(java.nio.file.Path dir) {
        String path = dir.toString();
        return (settings, gpu) -> {
            java.nio.file.Path dataDir = java.nio.file.Path.of(path);
            try (var files = java.nio.file.Files.list(dataDir)) {
                for (java.nio.file.Path f : files.toList()) {
                    try {
                        java.nio.file.Files.move(f, dataDir.resolveSibling(dataDir.getFileName() + "-away")
                                .resolve(f.getFileName()));
                    } catch (java.nio.file.NoSuchFileException moved) {
                        // another task of the round moved it first
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new SyntheticTrainer(settings, List.of(), List.of());
        };
    }

    /** How many tasks {@link #failsAfterTraining} failed. */
    static final java.util.concurrent.atomic.AtomicInteger FAILED_AFTER_TRAINING = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The tasks of these children fail on their first attempt after the child trained and its row
     * was made, as when an executor dies between a task's work and its end: Spark runs them again.
     */
    static TrainerFactory failsAfterTraining(List<Integer> indices) {
        return (settings, gpu) -> (WholeProxy) (spec, data) -> {
            ChildResult r = new SyntheticTrainer(settings, List.of(), List.of()).train(spec, data);
            org.apache.spark.TaskContext ctx = org.apache.spark.TaskContext.get();
            if (indices.contains(spec.index()) && ctx.attemptNumber() == 0) {
                ctx.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) c -> {
                    FAILED_AFTER_TRAINING.incrementAndGet();
                    throw new IllegalStateException("the executor was lost after child " + spec.index() + " trained");
                });
            }
            return r;
        };
    }

    static double reward(Genotype g) {
        int sep = 0;
        for (var cell : List.of(g.normal(), g.reduction())) {
            for (var b : cell.blocks()) {
                sep += (b.op1().isSeparable() ? 1 : 0) + (b.op2().isSeparable() ? 1 : 0);
            }
        }
        return sep / (4.0 * g.blocks());
    }

    /** How often each (architecture, step) was trained to, by rung training. */
    static final Map<String, Integer> TRAINED_TO = new ConcurrentHashMap<>();

    /**
     * Rung training: the reward at step s of the proxy's S steps is {@link #reward} x s / S (at the last
     * step exactly {@link #train}'s); the state is the step reached.
     */
    @Override
    public Progress trainUntil(ChildSpec spec, ImageDataset data, byte[] from, long untilStep) {
        if (failIndices.contains(spec.index())) {
            throw new IllegalStateException("synthetic failure of child " + spec.index());
        }
        long step = from == null ? 0 : java.nio.ByteBuffer.wrap(from).getLong();
        if (step >= untilStep) {
            throw new IllegalStateException("child " + spec.index() + " is at step " + step + " already, not before " + untilStep);
        }
        long steps = settings.steps(data.train().size());
        long to = Math.min(untilStep, steps);
        TRAINED_TO.merge(Genotype.parse(spec.genotype()).id() + "@" + to, 1, Integer::sum);
        double r = to == steps ? reward(Genotype.parse(spec.genotype())) : reward(Genotype.parse(spec.genotype())) * to / steps;
        ChildResult result = new ChildResult(spec, Status.OK, r, List.of(r), 0.5, 1000, 2000, 1, 0.01, 100, 1, "test", "", "",
                r, 0, measures(r));
        return new Progress(result, to < steps ? java.nio.ByteBuffer.allocate(8).putLong(to).array() : null);
    }

    @Override
    public ChildResult train(ChildSpec spec, ImageDataset data) {
        if (environmentFailIndices.contains(spec.index())) {
            throw new io.nasnet.data.DatasetException("missing dataset file /data/fashion/train-images-idx3-ubyte.gz");
        }
        if (failIndices.contains(spec.index())) {
            throw new IllegalStateException("synthetic failure of child " + spec.index());
        }
        TRAINED.merge(Genotype.parse(spec.genotype()).id(), 1, Integer::sum);
        double r = reward(Genotype.parse(spec.genotype()));
        return new ChildResult(spec, Status.OK, r, List.of(r), 0.5, 1000, 2000, 1, 0.01, 100, 1, "test", "", "", r, 0,
                measures(r));
    }

    /** What a child of reward r measures besides its accuracy here: every definition, no zero-cost scores. */
    static io.nasnet.child.ChildMeasures measures(double r) {
        return new io.nasnet.child.ChildMeasures(r, 1 - r, 0.5, io.nasnet.child.ZeroCost.NONE);
    }
}
