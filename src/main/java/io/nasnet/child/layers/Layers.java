package io.nasnet.child.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.util.Collection;

/** Plumbing shared by the project's layers, kernels and helpers. */
public final class Layers {

    private Layers() {
    }

    /** What DL4J asks of a layer configuration's {@code instantiate} once it has made the computation object. */
    public static Layer wire(Layer layer, org.deeplearning4j.nn.conf.layers.Layer config, NeuralNetConfiguration conf,
                      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
                      boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** {@code x} if it is a dense c-order array (so reshapes are views of it), else a c-order copy. */
    public static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
    }
}
