package io.nasnet.child;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * ScheduledDropPath (NASNet, section 4): during training, zero a whole path for an example with
 * probability 1 - keep and scale the kept ones by 1/keep. The keep probability falls linearly
 * with the cell's depth and with training progress, reaching {@code finalKeepProb} in the last
 * cell after {@code steps} iterations. DL4J has no such layer; this is its configuration, see
 * {@link DropPathLayer} for the computation.
 */
public class DropPath extends NoParamLayer {

    private double finalKeepProb = 1.0;
    private double depthRatio = 1.0;
    private long steps = 1;

    /** For JSON deserialization. */
    public DropPath() {
        super(new Builder());
    }

    /**
     * @param finalKeepProb keep probability of the deepest cell at the end of the schedule
     * @param depthRatio    (cell number + 1) / total cells: how much of the drop this cell gets
     * @param steps         iterations over which the drop ramps up from zero
     */
    public DropPath(String name, double finalKeepProb, double depthRatio, long steps) {
        super(new Builder().name(name));
        this.finalKeepProb = finalKeepProb;
        this.depthRatio = depthRatio;
        this.steps = Math.max(1, steps);
    }

    /** The keep probability at the given iteration. */
    public double keepProb(long iteration) {
        double progress = Math.min(1.0, (double) iteration / steps);
        return 1.0 - progress * depthRatio * (1.0 - finalKeepProb);
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

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        DropPathLayer layer = new DropPathLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, DropPath.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    private static final class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public DropPath build() {
            throw new UnsupportedOperationException("use the DropPath constructor");
        }
    }
}
