package io.nasnet.child;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/** Cosine decay of the learning rate from its initial value to 0 over a number of iterations (SGDR without restarts). */
public class CosineSchedule implements ISchedule {

    private final double initialValue;
    private final long iterations;

    public CosineSchedule(@JsonProperty("initialValue") double initialValue,
                          @JsonProperty("iterations") long iterations) {
        this.initialValue = initialValue;
        this.iterations = Math.max(1, iterations);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = Math.min(1.0, (double) iteration / iterations);
        return 0.5 * initialValue * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initialValue, iterations);
    }

    public double getInitialValue() {
        return initialValue;
    }

    public long getIterations() {
        return iterations;
    }
}
