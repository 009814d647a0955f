package io.nasnet.child.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * What DL4J asks of the configuration of a layer that has no parameters and keeps its input's
 * shape ({@link OutOfPlaceRelu}, {@link DropPath}); subclasses only say which computation to create.
 */
abstract class ShapePreservingLayer extends NoParamLayer {

    protected ShapePreservingLayer(String name) {
        super(new Builder().name(name));
    }

    /** The computation of this layer. */
    protected abstract AbstractLayer<?> create(NeuralNetConfiguration conf, DataType networkDataType);

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Layers.wire(create(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
                initializeParams);
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
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    private static final class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public NoParamLayer build() {
            throw new UnsupportedOperationException("construct the layer directly");
        }
    }
}
