package io.nasnet.child.layers;

import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.child.Tiny;
import io.nasnet.space.Presets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OutOfPlaceReluTest {

    @Test
    void neverWritesToItsInput() {
        OutOfPlaceReluImpl relu = (OutOfPlaceReluImpl) new OutOfPlaceRelu("r").instantiate(
                new NeuralNetConfiguration.Builder().layer(new OutOfPlaceRelu("r")).build(), null, 0, null, false, DataType.FLOAT);
        INDArray x = Nd4j.createFromArray(new float[]{-1f, 2f, 0f, 4f}).reshape(1, 1, 2, 2);
        INDArray copy = x.dup();
        relu.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray y = relu.activate(false, LayerWorkspaceMgr.noWorkspaces());
        assertThat(x).isEqualTo(copy);
        assertThat(y.data().asFloat()).containsExactly(0f, 2f, 0f, 4f);
        INDArray dy = Nd4j.createFromArray(new float[]{5f, -6f, 7f, 8f}).reshape(1, 1, 2, 2);
        INDArray g = relu.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        assertThat(g.data().asFloat()).as("dy where x > 0, else 0").containsExactly(0f, -6f, 0f, 8f);
        assertThat(x).isEqualTo(copy);
        assertThat(dy.data().asFloat()).containsExactly(5f, -6f, 7f, 8f);
    }

    @Test
    void passesDl4jGradientCheck() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(4, 4, 2))
                    .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build(), "in")
                    .addLayer("relu", new OutOfPlaceRelu("relu"), "conv")
                    .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
                    .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(2).build(), "pool")
                    .setOutputs("out").build();
            ComputationGraph g = new ComputationGraph(conf);
            g.init();
            INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 2, 4, 4).subi(0.5);
            INDArray y = Tiny.labels(5, 2, DataType.DOUBLE);
            assertThat(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-3))).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    /** With an in-place ReLU, a state read both raw and through a ReLU made output() and score() disagree. */
    @Test
    void inferenceOfSharedStatesIsConsistent() {
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, Stacking.cifar(1, 4, 16, 16, 3, 3),
                NetworkOptions.search(0.01, 0.0, 3));
        INDArray x = Tiny.images(4, 3, 16, 9);
        INDArray y = Tiny.labels(4, 3);
        INDArray p = net.outputSingle(false, x);
        double ce = -Transforms.log(p, true).muli(y).sumNumber().doubleValue() / 4;
        assertThat(net.score(new DataSet(x, y), false)).isCloseTo(ce, within(1e-5));
        assertThat(net.outputSingle(false, x)).isEqualTo(p);
    }
}
