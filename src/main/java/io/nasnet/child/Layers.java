package io.nasnet.child;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** What DL4J asks of a layer configuration's {@code instantiate} once it has made the computation object. */
final class Layers {

    private Layers() {
    }

    static Layer wire(Layer layer, org.deeplearning4j.nn.conf.layers.Layer config, NeuralNetConfiguration conf,
                      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
                      boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
