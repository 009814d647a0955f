package io.nasnet.engine;

import io.nasnet.child.Status;
import io.nasnet.history.HistoryRecord;
import io.nasnet.space.Genotype;

import java.util.List;
import java.util.Map;

/**
 * Evaluates a population by asking a function of the genotype instead of training it: a benchmark
 * whose truth is known (a surrogate of trained cells, with or without noise), or a test. Each child's
 * row is OK with the function's reward as its accuracy and the cost it reports as its child-seconds.
 */
public final class ObjectiveEvaluator implements Evaluator {

    /** A child's reward and what it would have cost. */
    public record Outcome(double reward, double childSeconds) {
    }

    /** The objective: the outcome of a task's child (its genotype, seed and, with rungs, rung). */
    @FunctionalInterface
    public interface Objective {
        Outcome evaluate(Genotype genotype, ChildTask task);
    }

    private final Objective objective;

    public ObjectiveEvaluator(Objective objective) {
        this.objective = objective;
    }

    @Override
    public List<HistoryRecord> evaluate(List<ChildTask> tasks) {
        return tasks.stream().map(this::row).toList();
    }

    private HistoryRecord row(ChildTask t) {
        Genotype g = Genotype.parse(t.spec().genotype());
        Outcome o = objective.evaluate(g, t);
        int rung = t.rung() == null ? 0 : t.rung().index();
        int rungs = t.rung() == null ? 1 : t.rung().rungs();
        Map<String, Object> cells = HistoryRecord.spec(t.spec().searchId(), t.spec().round(), t.spec().index(),
                t.archId(), g.text(), t.strategy(), t.logProb(), t.parentArchId(), t.spec().seed(), t.budget(),
                t.configHash());
        cells.putAll(HistoryRecord.cells("status", Status.OK, "reward", o.reward(), "accuracy", o.reward(),
                "val_accuracy", List.of(o.reward()), "epochs", 1, "train_seconds", o.childSeconds(), "host", "",
                "gpu", "", "data_checksum", "", "rung", rung, "rungs", rungs, "child_seconds", o.childSeconds()));
        return HistoryRecord.of(cells);
    }

    /** One at a time, in the caller's thread. */
    @Override
    public int slots() {
        return 1;
    }
}
