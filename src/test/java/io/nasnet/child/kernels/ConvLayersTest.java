package io.nasnet.child.kernels;

import io.nasnet.child.Tiny;

import io.nasnet.child.kernels.LayerHelpers;

import io.nasnet.child.kernels.Conv2d;
import io.nasnet.child.kernels.DepthwiseBackprop;
import io.nasnet.child.kernels.DepthwiseConv2d;
import io.nasnet.child.layers.OutOfPlaceRelu;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.profiler.OpProfiler;

import java.util.Arrays;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Conv2d} and {@link DepthwiseConv2d} train exactly as DL4J's own layers, without the repeated forward pass. */
class ConvLayersTest {

    private static final int SIZE = 6;

    private static ComputationGraph net(boolean ours, DataType type, int dilation) {
        return net(ours, type, dilation, 5, 2, SIZE);
    }

    /** in (size x size x 3) -> dw(k, s) -> 1x1 -> relu -> dw3 -> conv3 -> pool -> softmax */
    private static ComputationGraph net(boolean ours, DataType type, int dilation, int dwKernel, int dwStride, int size) {
        BiFunction<Integer, Integer, Layer> dw = (k, s) -> (ours ? new DepthwiseConv2d.Builder(k, k) : new DepthwiseConvolution2D.Builder(k, k))
                .stride(s, s).depthMultiplier(1).convolutionMode(ConvolutionMode.Same).hasBias(false)
                .activation(Activation.IDENTITY).build();
        BiFunction<Integer, Integer, Layer> conv = (k, s) -> (ours ? new Conv2d.Builder(k, k) : new ConvolutionLayer.Builder(k, k))
                .stride(s, s).dilation(dilation, dilation).convolutionMode(ConvolutionMode.Same).nOut(4).hasBias(false)
                .activation(Activation.IDENTITY).build();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new NoOp()).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(size, size, 3))
                .addLayer("dw5", dw.apply(dwKernel, dwStride), "in")
                .addLayer("pw", conv.apply(1, 1), "dw5")
                .addLayer("relu", new OutOfPlaceRelu("relu"), "pw")
                .addLayer("dw3", dw.apply(3, 1), "relu")
                .addLayer("conv3", conv.apply(3, 1), "dw3")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv3")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(2).build(), "pool")
                .setOutputs("out").build();
        return LayerHelpers.graph(conf);
    }

    private static INDArray[] batch(DataType type) {
        return batch(type, SIZE);
    }

    private static INDArray[] batch(DataType type, int size) {
        INDArray x = Nd4j.rand(type, 5, 3, size, size).subi(0.5);
        INDArray y = Tiny.labels(5, 2, type);
        return new INDArray[]{x, y};
    }

    @Test
    void gradientsEqualDl4jsOwnLayersOnTheOneDnnPath() {
        Nd4j.getRandom().setSeed(11);
        INDArray[] xy = batch(DataType.FLOAT);
        // 3x3 depthwise kernels only: DepthwiseBackprop (counted apart) takes 5x5 and larger
        ComputationGraph stock = net(false, DataType.FLOAT, 1, 3, 2, SIZE);
        ComputationGraph ours = net(true, DataType.FLOAT, 1, 3, 2, SIZE);
        ours.setParams(stock.params());
        assertThat(ours.getLayer("pw")).isInstanceOf(Conv2d.Impl.class);
        assertThat(ours.getLayer("dw5")).isInstanceOf(DepthwiseConv2d.Impl.class);
        long[] ops = new long[2];
        ComputationGraph[] nets = {stock, ours};
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        try {
            for (int i = 0; i < 2; i++) {
                nets[i].setInputs(xy[0]);
                nets[i].setLabels(xy[1]);
                OpProfiler.getInstance().reset();
                nets[i].computeGradientAndScore();
                ops[i] = OpProfiler.getInstance().getInvocationsCount();
            }
        } finally {
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        }
        assertThat(ops[1]).as("one forward op fewer per convolution layer").isEqualTo(ops[0] - 4);
        assertThat(ours.score()).isEqualTo(stock.score());
        INDArray a = stock.gradient().gradient();
        INDArray b = ours.gradient().gradient();
        assertThat(a.sumNumber().doubleValue()).isNotZero();
        assertThat(b.sub(a).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    /** Odd sizes at stride 2 pad symmetrically, even ones pad one more at the bottom. */
    @Test
    void largeDepthwiseKernelsBackpropAsDl4jDoes() {
        int[][] cases = {{5, 1, 6}, {7, 1, 6}, {5, 2, 6}, {7, 2, 6}, {5, 2, 7}, {7, 2, 7}}; // kernel, stride, size
        for (int[] c : cases) {
            int k = c[0];
            Nd4j.getRandom().setSeed(13);
            INDArray[] xy = batch(DataType.FLOAT, c[2]);
            ComputationGraph stock = net(false, DataType.FLOAT, 1, k, c[1], c[2]);
            ComputationGraph ours = net(true, DataType.FLOAT, 1, k, c[1], c[2]);
            ours.setParams(stock.params());
            assertThat(DepthwiseBackprop.applies((DepthwiseConvolution2D) ours.getLayer("dw5").getConfig(), xy[0]))
                    .as("the %dx%d stride-%d layer takes the forward-convolution backprop", k, k, c[1]).isTrue();
            for (ComputationGraph g : new ComputationGraph[]{stock, ours}) {
                g.setInputs(xy[0]);
                g.setLabels(xy[1]);
                g.computeGradientAndScore();
            }
            INDArray expected = stock.gradient().getGradientFor("dw5_W");
            INDArray actual = ours.gradient().getGradientFor("dw5_W");
            assertThat(expected.amaxNumber().doubleValue()).isGreaterThan(1e-4);
            assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("kernel, stride, size %s", Arrays.toString(c))
                    .isLessThan(1e-5 * expected.amaxNumber().doubleValue() + 1e-7);
            INDArray all = stock.gradient().gradient();
            assertThat(ours.gradient().gradient().sub(all).amaxNumber().doubleValue()).as("kernel, stride, size %s", Arrays.toString(c))
                    .isLessThan(1e-5 * all.amaxNumber().doubleValue() + 1e-7);
        }
    }

    @Test
    void passesDl4jGradientCheckOnTheBuiltInPathToo() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            int[][] cases = {{1, 5, 2}, {2, 5, 2}, {1, 5, 1}, {1, 7, 1}, {1, 7, 2}}; // dilation, depthwise kernel, stride
            for (int[] c : cases) {
                int dilation = c[0];
                Nd4j.getRandom().setSeed(12);
                INDArray[] xy = batch(DataType.DOUBLE);
                ComputationGraph g = net(true, DataType.DOUBLE, dilation, c[1], c[2], SIZE);
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                        .inputs(new INDArray[]{xy[0]}).labels(new INDArray[]{xy[1]}).epsilon(1e-6).maxRelError(1e-3)
                        .minAbsoluteError(1e-8));
                assertThat(ok).as("gradient check, dilation %d, depthwise %dx%d stride %d", dilation, c[1], c[1], c[2])
                        .isTrue();
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void configurationSurvivesJsonRoundTrip() {
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(
                net(true, DataType.FLOAT, 1).getConfiguration().toJson());
        Layer dw = ((LayerVertex) back.getVertices().get("dw5")).getLayerConf().getLayer();
        Layer pw = ((LayerVertex) back.getVertices().get("pw")).getLayerConf().getLayer();
        assertThat(dw).isInstanceOf(DepthwiseConv2d.class);
        assertThat(((DepthwiseConv2d) dw).getKernelSize()).containsExactly(5, 5);
        assertThat(pw).isInstanceOf(Conv2d.class);
        assertThat(((Conv2d) pw).getNOut()).isEqualTo(4);
    }
}
