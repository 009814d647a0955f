package io.nasnet.child.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * ScheduledDropPath (NASNet, section 4): during training, zero a whole path for an example with
 * probability 1 - keep and scale the kept ones by 1/keep. The keep probability falls linearly
 * with the cell's depth and with training progress, reaching {@code finalKeepProb} in the last
 * cell after {@code steps} iterations. DL4J has no such layer; this is its configuration, see
 * {@link DropPathImpl} for the computation.
 */
public class DropPath extends ShapePreservingLayer {

    private double finalKeepProb = 1.0;
    private double depthRatio = 1.0;
    private long steps = 1;

    /** For JSON deserialization. */
    public DropPath() {
        super(null);
    }

    /**
     * @param finalKeepProb keep probability of the deepest cell at the end of the schedule
     * @param depthRatio    (cell number + 1) / total cells: how much of the drop this cell gets
     * @param steps         iterations over which the drop ramps up from zero
     */
    public DropPath(String name, double finalKeepProb, double depthRatio, long steps) {
        super(name);
        this.finalKeepProb = finalKeepProb;
        this.depthRatio = depthRatio;
        this.steps = Math.max(1, steps);
    }

    /** The keep probability at the given iteration. */
    public double keepProb(long iteration) {
        double progress = Math.min(1.0, (double) iteration / steps);
        return 1.0 - progress * depthRatio * (1.0 - finalKeepProb);
    }

    @Override
    protected AbstractLayer<?> create(NeuralNetConfiguration conf, DataType networkDataType) {
        return new DropPathImpl(conf, networkDataType);
    }

    public double getFinalKeepProb() {
        return finalKeepProb;
    }

    public void setFinalKeepProb(double finalKeepProb) {
        this.finalKeepProb = finalKeepProb;
    }

    public double getDepthRatio() {
        return depthRatio;
    }

    public void setDepthRatio(double depthRatio) {
        this.depthRatio = depthRatio;
    }

    public long getSteps() {
        return steps;
    }

    public void setSteps(long steps) {
        this.steps = steps;
    }
}
