package io.nasnet.child;

import io.nasnet.child.kernels.LayerHelpers;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The zero-cost scores against values worked by hand on networks small enough to work them. */
class ZeroCostScorerTest {

    private static ComputationGraphConfiguration.GraphBuilder graph() {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(3));
    }

    @Test
    void naswotIsTheLogDeterminantOfTheKernelOfAgreeingReluStates() {
        ComputationGraph net = LayerHelpers.graph(graph()
                .addLayer("h_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "input")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "h_relu")
                .setOutputs("output").build());
        INDArray images = Nd4j.createFromArray(new float[][]{{1, -1, 2}, {1, 2, -3}, {-1, -1, -1}});
        // on/off codes 101, 110, 000: K = [[3,1,1],[1,3,1],[1,1,3]], det 3*8 - 1*2 + 1*(-2) = 20
        assertThat(ZeroCostScorer.naswot(net, images)).isCloseTo(Math.log(20), within(1e-9));
        // two images with the same code: K is singular
        INDArray same = Nd4j.createFromArray(new float[][]{{1, 2, 3}, {2, 1, 1}});
        assertThat(ZeroCostScorer.naswot(net, same)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void synflowOfOneLayerIsTheSumOfItsAbsoluteWeights() {
        ComputationGraph net = ZeroCostScorer.synflowNetwork(graph()
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "input")
                .setOutputs("output").build());
        net.setParam("output_W", Nd4j.createFromArray(new double[][]{{0.5, 1}, {2, 0.25}, {3, 4}}));
        net.setParam("output_b", Nd4j.createFromArray(new double[][]{{7, 9}}));
        // R = sum_k (sum_j W_jk + b_k): dR/dW_jk = 1, so synflow = sum |W| (biases are not weights)
        assertThat(ZeroCostScorer.synflow(net, Nd4j.zeros(DataType.DOUBLE, 5, 3))).isCloseTo(10.75, within(1e-12));
    }

    @Test
    void synflowOfTwoLayersWeighsEachWeightByWhatFollowsIt() {
        ComputationGraph net = ZeroCostScorer.synflowNetwork(graph()
                .addLayer("hidden", new DenseLayer.Builder().nIn(3).nOut(2).activation(Activation.RELU).build(), "input")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("output").build());
        net.setParam("hidden_W", Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}, {5, 6}}));
        net.setParam("hidden_b", Nd4j.createFromArray(new double[][]{{1, 2}}));
        net.setParam("output_W", Nd4j.createFromArray(new double[][]{{0.5, 1}, {2, 0.5}}));
        net.setParam("output_b", Nd4j.createFromArray(new double[][]{{3, 1}}));
        // h = (1+3+5+1, 2+4+6+2) = (10, 14); R = sum_k (sum_j h_j v_jk + b_k)
        // output weights: dR/dv_jk = h_j, sum v_jk h_j = 5 + 10 + 28 + 7 = 50
        // hidden weights: dR/dW_ij = sum_k v_jk = (1.5, 2.5)_j, sum W_ij (1.5, 2.5)_j = 9 * 1.5 + 12 * 2.5 = 43.5
        assertThat(ZeroCostScorer.synflow(net, Nd4j.zeros(DataType.DOUBLE, 1, 3))).isCloseTo(93.5, within(1e-9));
    }

    @Test
    void gradNormIsTheNormOfTheMeanCrossEntropyGradientPerWeightTensor() {
        ComputationGraph net = LayerHelpers.graph(graph()
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "input")
                .setOutputs("output").build());
        net.setParam("output_W", Nd4j.zeros(DataType.FLOAT, 3, 2));
        net.setParam("output_b", Nd4j.zeros(DataType.FLOAT, 1, 2));
        INDArray x = Nd4j.createFromArray(new float[][]{{1, 2, 3}, {0, 1, -1}});
        INDArray y = Nd4j.createFromArray(new float[][]{{1, 0}, {0, 1}});
        // p = (0.5, 0.5) for both; sum_i x_i^T (p_i - y_i) = (x1 - x2)^T (-0.5, 0.5) = (1, 1, 4)^T (-0.5, 0.5):
        // Frobenius norm sqrt(18) * sqrt(0.5) = 3, over the 2 images 1.5
        assertThat(ZeroCostScorer.gradNorm(net, x, y)).isCloseTo(1.5, within(1e-6));
    }

    @Test
    void aNasnetChildHasFiniteScoresAndTheSameScoresForTheSameSeed() {
        Stacking stacking = Stacking.cifar(1, 4, 28, 28, 1, 10);
        INDArray images = Tiny.images(16, 1, 28, 3);
        INDArray labels = Tiny.labels(16, 10);
        ZeroCost a = ZeroCostScorer.score(Presets.NASNET_A, stacking, 7, images, labels);
        ZeroCost b = ZeroCostScorer.score(Presets.NASNET_A, stacking, 7, images, labels);
        assertThat(a.naswot()).isFinite().isGreaterThan(0);
        assertThat(a.synflow()).isFinite().isGreaterThan(0);
        assertThat(a.gradNorm()).isFinite().isGreaterThan(0);
        assertThat(a.seconds()).isGreaterThan(0);
        assertThat(b.naswot()).isEqualTo(a.naswot());
        assertThat(b.synflow()).isEqualTo(a.synflow());
    }
}
