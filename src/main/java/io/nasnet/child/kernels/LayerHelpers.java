package io.nasnet.child.kernels;

import io.nasnet.child.runtime.Dl4jRuntime;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;

import java.lang.reflect.Field;

/**
 * A network's layers given the helpers that serve this project's networks best: DL4J's oneDNN
 * helpers switched on ({@link Dl4jRuntime#install()}), {@link BatchNormHelper} for batch norm, none
 * for dilated convolutions. Every network built or restored goes through here.
 */
public final class LayerHelpers {

    private LayerHelpers() {
    }

    /** The initialized graph of {@code conf}, its layers created with this project's helpers. */
    public static ComputationGraph graph(ComputationGraphConfiguration conf) {
        Dl4jRuntime.install();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        fitHelpers(net);
        return net;
    }

    /**
     * Fits the helpers DL4J chose to what serves this project's networks best: removes the oneDNN
     * helper from layers it cannot serve (dilated convolutions: oneDNN refuses to create the
     * primitive, and DL4J would log the failure before falling back), and gives every batch-norm
     * layer a {@link BatchNormHelper} in place of DL4J's. Call after {@code init()} or a restore.
     */
    public static void fitHelpers(ComputationGraph net) {
        boolean helpers = Dl4jRuntime.enabled();
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv
                    && (conv.layerConf().getDilation()[0] > 1 || conv.layerConf().getDilation()[1] > 1)) {
                setHelper(ConvolutionLayer.class, conv, null);
            } else if (helpers && layer instanceof BatchNormalization bn) {
                setHelper(BatchNormalization.class, bn, new BatchNormHelper());
            }
        }
    }

    private static void setHelper(Class<?> type, Layer layer, Object helper) {
        try {
            Field field = type.getDeclaredField("helper");
            field.setAccessible(true);
            field.set(layer, helper);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J's " + type.getSimpleName() + " has no 'helper' field any more", e);
        }
    }

}
