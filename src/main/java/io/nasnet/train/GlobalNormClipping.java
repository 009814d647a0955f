package io.nasnet.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * Clips the global L2 norm of the gradient, as TensorFlow's {@code clip_by_global_norm} in the
 * paper's training. DL4J only clips per layer or per parameter type, so this listener rescales
 * the whole flattened gradient after backprop and before the updater. DL4J divides the summed
 * gradient by the batch size inside the updater, later, so the threshold applies to sum / batch.
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
        INDArray g = ((ComputationGraph) model).getFlattenedGradients();
        int batch = Math.max(1, model.batchSize());
        double norm = g.norm2Number().doubleValue() / batch;
        if (norm > maxNorm) {
            g.muli(maxNorm / norm);
        }
    }
}
