package io.nasnet.child.layers;

import io.nasnet.child.Tiny;

import io.nasnet.child.layers.DropPath;
import io.nasnet.child.layers.DropPathImpl;

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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DropPathTest {

    private static ComputationGraph net(double keep, long steps, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).dataType(type).updater(new NoOp())
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("drop", new DropPath("drop", keep, 1.0, steps), "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "drop")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(2).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void keepProbabilityFallsLinearlyWithProgressAndDepth() {
        DropPath deepest = new DropPath("d", 0.6, 1.0, 100);
        assertThat(deepest.keepProb(0)).isEqualTo(1.0);
        assertThat(deepest.keepProb(50)).isCloseTo(0.8, within(1e-12));
        assertThat(deepest.keepProb(100)).isCloseTo(0.6, within(1e-12));
        assertThat(deepest.keepProb(1000)).isCloseTo(0.6, within(1e-12));
        DropPath half = new DropPath("d", 0.6, 0.5, 100);
        assertThat(half.keepProb(100)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void trainingDropsWholeExamplesAndScalesTheRestInferenceDoesNot() {
        DropPathImpl layer = (DropPathImpl) net(0.5, 1, DataType.FLOAT).getLayer("drop");
        layer.setIterationCount(10);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 3, 2, 2).addi(0.1);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray y = layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        int dropped = 0;
        for (int i = 0; i < 64; i++) {
            double ratio = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).sumNumber().doubleValue()
                    / x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).sumNumber().doubleValue();
            if (ratio == 0) {
                dropped++;
            } else {
                assertThat(ratio).isCloseTo(2.0, within(1e-5));
            }
        }
        assertThat(dropped).isBetween(16, 48);

        INDArray eps = Nd4j.ones(DataType.FLOAT, 64, 3, 2, 2);
        INDArray grad = layer.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        INDArray mask = layer.lastMask();
        for (int i = 0; i < 64; i++) {
            assertThat(grad.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).meanNumber().doubleValue())
                    .isCloseTo(mask.getDouble(i), within(1e-6));
            assertThat(y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).sumNumber().doubleValue() == 0)
                    .isEqualTo(mask.getDouble(i) == 0);
        }

        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        assertThat(layer.activate(false, LayerWorkspaceMgr.noWorkspaces())).isEqualTo(x);
    }

    @Test
    void sameIterationSameMaskNextIterationNewMask() {
        DropPathImpl layer = (DropPathImpl) net(0.5, 1, DataType.FLOAT).getLayer("drop");
        INDArray x = Nd4j.ones(DataType.FLOAT, 32, 3, 2, 2);
        layer.setIterationCount(3);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray a = layer.activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray b = layer.activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
        layer.setIterationCount(4);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray c = layer.activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void passesDl4jGradientCheckWhileDropping() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            gradientCheck();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    private void gradientCheck() {
        ComputationGraph g = net(0.5, 1, DataType.DOUBLE);
        g.getConfiguration().setIterationCount(7);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 2, 4, 4);
        INDArray y = Tiny.labels(6, 2, DataType.DOUBLE);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-3));
        assertThat(ok).isTrue();
        DropPathImpl layer = (DropPathImpl) g.getLayer("drop");
        assertThat(layer.lastMask()).as("the check ran with paths dropped").isNotNull();
    }

    @Test
    void configurationSurvivesJsonRoundTrip() {
        ComputationGraph g = net(0.7, 1234, DataType.FLOAT);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        var vertex = (org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("drop");
        assertThat(vertex.getLayerConf().getLayer()).isInstanceOf(DropPath.class);
        DropPath d = (DropPath) vertex.getLayerConf().getLayer();
        assertThat(d.getFinalKeepProb()).isEqualTo(0.7);
        assertThat(d.getSteps()).isEqualTo(1234);
    }
}
