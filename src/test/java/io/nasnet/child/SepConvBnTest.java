package io.nasnet.child;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link SepConvBn} computes what DL4J's ReLU, depthwise convolution, 1x1 convolution and batch
 * normalization compute one after the other: same outputs, gradients and running statistics.
 */
class SepConvBnTest {

    private static final int C = 8;
    private static final int F = 16;

    @BeforeAll
    static void oneDnnLoads() {
        assertThat(SepConvBn.available()).as("oneDNN's library loads on the CPU backend").isTrue();
    }

    private static ComputationGraph net(boolean fused, int k, int stride, int size, double l2) {
        var gb = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).l2(l2).weightInit(WeightInit.RELU)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(size, size, C));
        if (fused) {
            gb.addLayer("sep", new SepConvBn.Builder().kernel(k).stride(stride).eps(1e-3).decay(0.9).nOut(F).build(), "in");
        } else {
            gb.addLayer("relu", new Relu("relu"), "in")
                    .addLayer("dw", new DepthwiseConv2d.Builder(k, k).stride(stride, stride).depthMultiplier(1)
                            .convolutionMode(ConvolutionMode.Same).hasBias(false).activation(Activation.IDENTITY).build(), "relu")
                    .addLayer("pw", new Conv2d.Builder(1, 1).nOut(F).hasBias(false).activation(Activation.IDENTITY)
                            .convolutionMode(ConvolutionMode.Same).build(), "dw")
                    .addLayer("sep", new BatchNormalization.Builder().eps(1e-3).decay(0.9).activation(Activation.IDENTITY)
                            .build(), "pw");
        }
        ComputationGraphConfiguration conf = gb
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "sep")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(3).build(), "pool")
                .setOutputs("out").build();
        return OneDnn.graph(conf);
    }

    /** The fused layer's parameters set from the four-layer form's (DL4J keeps log10 of the std). */
    private static void copy(ComputationGraph from, ComputationGraph to) {
        INDArray dw = from.getLayer("dw").getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY); // [k, k, C, 1]
        var sep = to.getLayer("sep");
        sep.setParam(SepConvBnParams.DEPTHWISE, dw.permute(2, 3, 0, 1).dup('c').reshape(sep.getParam(SepConvBnParams.DEPTHWISE).shape()));
        sep.setParam(SepConvBnParams.POINTWISE, from.getLayer("pw").getParam("W").dup());
        var bn = from.getLayer("sep");
        sep.setParam(SepConvBnParams.GAMMA, bn.getParam(BatchNormalizationParamInitializer.GAMMA).reshape(1, F));
        sep.setParam(SepConvBnParams.BETA, bn.getParam(BatchNormalizationParamInitializer.BETA).reshape(1, F));
        sep.setParam(SepConvBnParams.MEAN, bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(1, F));
        sep.setParam(SepConvBnParams.VAR, variance(bn));
        to.getLayer("out").setParams(from.getLayer("out").params().dup());
    }

    private static INDArray variance(org.deeplearning4j.nn.api.Layer bn) {
        INDArray log10Std = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(1, F);
        INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, DataType.FLOAT), log10Std, true);
        return std.mul(std);
    }

    private static DataSet batch(int size) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, C, size, size).subi(0.3).muli(2);
        return new DataSet(x, Tiny.labels(6, 3, DataType.FLOAT));
    }

    private static void gradientAndScore(ComputationGraph g, DataSet d) {
        g.setInputs(d.getFeatures());
        g.setLabels(d.getLabels());
        g.computeGradientAndScore();
    }

    @ParameterizedTest(name = "k={0} stride={1} size={2}")
    @CsvSource({"3,1,8", "5,1,8", "7,2,8", "5,2,9", "3,2,7"})
    void trainsAsDl4jsFourLayers(int k, int stride, int size) {
        Nd4j.getRandom().setSeed(k * 10 + stride);
        ComputationGraph four = net(false, k, stride, size, 1e-3);
        ComputationGraph fused = net(true, k, stride, size, 1e-3);
        copy(four, fused);
        DataSet d = batch(size);

        INDArray expected = four.feedForward(d.getFeatures(), true).get("sep");
        INDArray actual = fused.feedForward(d.getFeatures(), true).get("sep");
        assertThat(actual.shape()).containsExactly(6, F, (size + stride - 1) / stride, (size + stride - 1) / stride);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-4);

        gradientAndScore(four, d);
        gradientAndScore(fused, d);
        assertThat(fused.score()).isCloseTo(four.score(), within(1e-5));
        var g4 = four.gradient().gradientForVariable();
        var gf = fused.gradient().gradientForVariable();
        INDArray dw4 = g4.get("dw_" + DepthwiseConvolutionParamInitializer.WEIGHT_KEY).permute(2, 3, 0, 1).dup('c');
        assertClose(gf.get("sep_" + SepConvBnParams.DEPTHWISE), dw4.reshape(gf.get("sep_" + SepConvBnParams.DEPTHWISE).shape()));
        assertClose(gf.get("sep_" + SepConvBnParams.POINTWISE), g4.get("pw_W"));
        assertClose(gf.get("sep_" + SepConvBnParams.GAMMA), g4.get("sep_" + BatchNormalizationParamInitializer.GAMMA).reshape(1, F));
        assertClose(gf.get("sep_" + SepConvBnParams.BETA), g4.get("sep_" + BatchNormalizationParamInitializer.BETA).reshape(1, F));
        assertClose(gf.get("out_W"), g4.get("out_W"));

        // one SGD step: same parameters, running statistics included; then the same inference
        four.fit(d);
        fused.fit(d);
        var sep = fused.getLayer("sep");
        var bn = four.getLayer("sep");
        assertClose(sep.getParam(SepConvBnParams.MEAN), bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(1, F));
        assertClose(sep.getParam(SepConvBnParams.VAR), variance(bn));
        assertThat(sep.getParam(SepConvBnParams.VAR).minNumber().doubleValue()).as("variance moved off its start").isNotEqualTo(1.0);
        assertClose(sep.getParam(SepConvBnParams.POINTWISE), four.getLayer("pw").getParam("W"));
        INDArray inference = batch(size).getFeatures();
        assertThat(fused.outputSingle(inference).sub(four.outputSingle(inference)).amaxNumber().doubleValue()).isLessThan(1e-4);
    }

    private static void assertClose(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        assertThat(actual.sub(expected).amaxNumber().doubleValue() / scale).isLessThan(1e-3);
    }

    /** Central differences of the training loss against the analytic gradient, for the largest entries of each kernel and of gamma. */
    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(5);
        ComputationGraph g = net(true, 5, 2, 8, 0);
        DataSet d = batch(8);
        gradientAndScore(g, d);
        var grads = g.gradient().gradientForVariable();
        var layer = g.getLayer("sep");
        for (String key : new String[]{SepConvBnParams.DEPTHWISE, SepConvBnParams.POINTWISE, SepConvBnParams.GAMMA}) {
            INDArray grad = grads.get("sep_" + key).reshape(-1);
            INDArray param = layer.getParam(key).reshape(-1);
            for (int pick = 0; pick < 3; pick++) {
                long i = Nd4j.argMax(Transforms.abs(grad, true)).getLong(0);
                double analytic = grad.getDouble(i);
                grad = grad.dup().putScalar(i, 0);
                double p = param.getDouble(i);
                double h = 1e-2;
                param.putScalar(i, p + h);
                double up = g.score(d, true);
                param.putScalar(i, p - h);
                double down = g.score(d, true);
                param.putScalar(i, p);
                // DL4J's gradient is of the loss summed over the batch, its score the mean
                double numeric = (up - down) / (2 * h) * d.numExamples();
                assertThat(Math.abs(analytic)).isGreaterThan(1e-4);
                assertThat(numeric).as("%s[%d]", key, i).isCloseTo(analytic, within(0.03 * Math.abs(analytic) + 2e-4));
            }
        }
    }

    @Test
    void survivesJsonAndModelRoundTrips() throws IOException {
        ComputationGraph g = net(true, 5, 2, 8, 1e-3);
        g.fit(batch(8));
        var conf = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        var vertex = (org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get("sep");
        SepConvBn layer = (SepConvBn) vertex.getLayerConf().getLayer();
        assertThat(layer.getKernel()).isEqualTo(5);
        assertThat(layer.getStride()).isEqualTo(2);
        assertThat(layer.getNOut()).isEqualTo(F);
        assertThat(layer.getDecay()).isEqualTo(0.9);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(g, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        INDArray x = batch(8).getFeatures();
        assertThat(restored.outputSingle(x).sub(g.outputSingle(x)).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void refusesWhatItCannotCompute() {
        assumeTrue(SepConvBn.available());
        ComputationGraph g = net(true, 3, 1, 8, 0);
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 2, C, 8, 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.getLayer("sep").activate(doubles, false,
                        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()))
                .hasMessageContaining("\"sep\"").hasMessageContaining("FLOAT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SepConvBn.Builder().kernel(4).nOut(F).build())
                .hasMessageContaining("odd");
    }
}
