package io.nasnet.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Clips the global L2 norm of the gradient, as TensorFlow's {@code clip_by_global_norm} in the
 * paper's training. DL4J only clips per layer or per parameter type, so this listener rescales
 * the gradient of every trained parameter after backprop and before the updater. DL4J divides the
 * summed gradient by the batch size inside the updater, later, so the threshold applies to sum / batch.
 */
public final class GlobalNormClipping extends BaseTrainingListener implements Serializable {

    private final double maxNorm;

    public GlobalNormClipping(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("gradient clip norm must be > 0, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    @Override
    public void onGradientCalculation(Model model) {
        List<INDArray> gradients = trainable((ComputationGraph) model);
        int batch = Math.max(1, model.batchSize());
        double sumOfSquares = 0;
        for (INDArray g : gradients) {
            double n = g.norm2Number().doubleValue();
            sumOfSquares += n * n;
        }
        double norm = Math.sqrt(sumOfSquares) / batch;
        if (norm > maxNorm) {
            for (INDArray g : gradients) {
                g.muli(maxNorm / norm);
            }
        }
    }

    /**
     * The gradients of the parameters an updater trains: batch-norm running statistics, which DL4J
     * steps through the same gradient array with no updater, are moving averages, neither counted
     * nor scaled.
     */
    static List<INDArray> trainable(ComputationGraph net) {
        Map<String, INDArray> byName = net.gradient().gradientForVariable();
        List<INDArray> out = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            var conf = layer.conf().getLayer();
            for (String key : layer.paramTable().keySet()) {
                INDArray g = byName.get(conf.getLayerName() + "_" + key);
                if (g != null && !(conf.getUpdaterByParam(key) instanceof NoOp)) {
                    out.add(g);
                }
            }
        }
        return out;
    }
}
