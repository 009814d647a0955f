package io.nasnet.child.onednn;

import io.nasnet.child.Tiny;

import io.nasnet.child.kernels.LayerHelpers;

import io.nasnet.child.kernels.Conv2d;
import io.nasnet.child.kernels.DepthwiseConv2d;
import io.nasnet.child.layers.OutOfPlaceRelu;
import io.nasnet.child.onednn.FactorizedReduction;
import io.nasnet.child.onednn.FusedOpConf;
import io.nasnet.child.onednn.FusedOpLayer;
import io.nasnet.child.onednn.FusedOpParams;
import io.nasnet.child.onednn.ReluConvBn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import io.nasnet.child.layers.Conv;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The oneDNN layers compute what the DL4J layers they replace compute: {@link ReluConvBn} as ReLU,
 * convolution and batch-normalization layers for each kind of NASNet op, {@link FactorizedReduction}
 * as padding, crop, two convolutions, merge and batch norm. Same outputs, gradients and running
 * statistics.
 */
class FusedOpsTest {

    private static final int C = 8;
    private static final int F = 16;

    @BeforeAll
    static void oneDnnLoads() {
        assertThat(FusedOpConf.available()).as("oneDNN's library loads on the CPU backend").isTrue();
    }

    /**
     * An op's stages of convolutions: "sep k s" (depthwise + 1x1, twice, the first strided), "conv k s",
     * "dil k s", "fac k s" (1xk then kx1).
     */
    private static List<List<Conv>> stages(String op, int k, int s) {
        return switch (op) {
            case "sep" -> List.of(List.of(Conv.depthwise(k, s, C), Conv.of(1, 1, 1, 1, 1, F)),
                    List.of(Conv.depthwise(k, 1, F), Conv.of(1, 1, 1, 1, 1, F)));
            case "conv" -> List.of(List.of(Conv.of(k, k, s, s, 1, F)));
            case "dil" -> List.of(List.of(Conv.of(k, k, s, s, 2, F)));
            case "fac" -> List.of(List.of(Conv.of(1, k, 1, s, 1, F), Conv.of(k, 1, s, 1, 1, F)));
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static List<Conv> flat(List<List<Conv>> stages) {
        return stages.stream().flatMap(List::stream).toList();
    }

    /** The separate-layer network's batch norm of stage {@code st}: the last one is "op". */
    private static String bnName(List<List<Conv>> stages, int st) {
        return st == stages.size() - 1 ? "op" : "bn" + st;
    }

    /**
     * A 1x1 convolution before the layer under test, so that the layer's input gradient shows in a
     * parameter gradient ("in_W").
     */
    private static org.deeplearning4j.nn.conf.layers.Layer pre() {
        return new Conv2d.Builder(1, 1).nOut(C).hasBias(false).activation(Activation.IDENTITY).build();
    }

    private static ComputationGraph net(boolean fused, List<List<Conv>> stages, int size, double l2) {
        var gb = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).l2(l2).weightInit(WeightInit.RELU)
                .graphBuilder().addInputs("x").setInputTypes(InputType.convolutional(size, size, C));
        gb.addLayer("in", pre(), "x");
        if (fused) {
            ReluConvBn.Builder b = new ReluConvBn.Builder().eps(1e-3).decay(0.9);
            stages.forEach(stage -> b.stage(stage.toArray(Conv[]::new)));
            gb.addLayer("op", b.build(), "in");
        } else {
            String last = "in";
            int i = 0;
            for (int st = 0; st < stages.size(); st++) {
                gb.addLayer("relu" + st, new OutOfPlaceRelu("relu" + st), last);
                last = "relu" + st;
                for (Conv c : stages.get(st)) {
                    gb.addLayer("c" + i, c.isDepthwise()
                            ? new DepthwiseConv2d.Builder(c.getKernelH(), c.getKernelW()).stride(c.getStrideH(), c.getStrideW())
                            .depthMultiplier(1).convolutionMode(ConvolutionMode.Same).hasBias(false)
                            .activation(Activation.IDENTITY).build()
                            : new Conv2d.Builder(c.getKernelH(), c.getKernelW()).stride(c.getStrideH(), c.getStrideW())
                            .dilation(c.getDilation(), c.getDilation()).nOut(c.getNOut()).hasBias(false)
                            .activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Same).build(), last);
                    last = "c" + i++;
                }
                gb.addLayer(bnName(stages, st), new BatchNormalization.Builder().eps(1e-3).decay(0.9)
                        .activation(Activation.IDENTITY).build(), last);
                last = bnName(stages, st);
            }
        }
        ComputationGraphConfiguration conf = gb
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "op")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(3).build(), "pool")
                .setOutputs("out").build();
        return LayerHelpers.graph(conf);
    }

    /** A DL4J kernel in the fused layer's layout: depthwise [kh, kw, C, 1] -> [C, 1, 1, kh, kw]; others as they are. */
    private static INDArray fusedLayout(INDArray kernel, Conv c, long[] shape) {
        return (c.isDepthwise() ? kernel.permute(2, 3, 0, 1) : kernel).dup('c').reshape(shape);
    }

    /** The fused layer's parameters set from the separate layers' (DL4J keeps log10 of the std). */
    private static void copy(ComputationGraph from, ComputationGraph to, List<List<Conv>> stages) {
        var op = to.getLayer("op");
        List<Conv> convs = flat(stages);
        for (int i = 0; i < convs.size(); i++) {
            String key = FusedOpParams.kernel(i);
            op.setParam(key, fusedLayout(from.getLayer("c" + i).getParam("W"), convs.get(i), op.getParam(key).shape()));
        }
        for (int st = 0; st < stages.size(); st++) {
            copyBatchNorm(from.getLayer(bnName(stages, st)), op, st);
        }
        copyEnds(from, to);
    }

    /** A DL4J batch-norm layer's parameters into batch norm {@code b} of a fused layer. */
    private static void copyBatchNorm(org.deeplearning4j.nn.api.Layer bn, org.deeplearning4j.nn.api.Layer op, int b) {
        op.setParam(FusedOpParams.gamma(b), bn.getParam(BatchNormalizationParamInitializer.GAMMA).reshape(1, F));
        op.setParam(FusedOpParams.beta(b), bn.getParam(BatchNormalizationParamInitializer.BETA).reshape(1, F));
        op.setParam(FusedOpParams.mean(b), bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(1, F));
        op.setParam(FusedOpParams.var(b), variance(bn));
    }

    /** The layers before and after the one under test. */
    private static void copyEnds(ComputationGraph from, ComputationGraph to) {
        to.getLayer("out").setParams(from.getLayer("out").params().dup());
        to.getLayer("in").setParams(from.getLayer("in").params().dup());
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

    @ParameterizedTest(name = "{0} k={1} stride={2} size={3}")
    @CsvSource({"sep,3,1,8", "sep,5,1,8", "sep,7,2,8", "sep,5,2,9", "sep,3,2,7", "conv,3,2,7", "conv,1,2,8",
            "dil,3,1,8", "fac,7,2,9", "fac,3,1,6"})
    void trainsAsDl4jsSeparateLayers(String kind, int k, int stride, int size) {
        Nd4j.getRandom().setSeed(k * 10 + stride);
        List<List<Conv>> stages = stages(kind, k, stride);
        List<Conv> convs = flat(stages);
        ComputationGraph separate = net(false, stages, size, 1e-3);
        ComputationGraph fused = net(true, stages, size, 1e-3);
        assertThat(fused.getLayer("op")).isInstanceOf(FusedOpLayer.class);
        assertThat(fused.getLayer("op").getConfig()).isInstanceOf(ReluConvBn.class);
        assertThat(fused.numParams()).isEqualTo(separate.numParams());
        copy(separate, fused, stages);
        DataSet d = batch(size);

        sameOutputAndScore(separate, fused, d);
        var gs = separate.gradient().gradientForVariable();
        var gf = fused.gradient().gradientForVariable();
        for (int i = 0; i < convs.size(); i++) {
            INDArray g = gf.get("op_" + FusedOpParams.kernel(i));
            assertClose(g, fusedLayout(gs.get("c" + i + "_W"), convs.get(i), g.shape()));
        }
        for (int st = 0; st < stages.size(); st++) {
            String bn = bnName(stages, st);
            assertClose(gf.get("op_" + FusedOpParams.gamma(st)), gs.get(bn + "_" + BatchNormalizationParamInitializer.GAMMA).reshape(1, F));
            assertClose(gf.get("op_" + FusedOpParams.beta(st)), gs.get(bn + "_" + BatchNormalizationParamInitializer.BETA).reshape(1, F));
        }
        assertClose(gf.get("out_W"), gs.get("out_W"));
        assertClose(gf.get("in_W"), gs.get("in_W")); // the layer's input gradient, through the ReLU

        // one SGD step: same parameters, running statistics included; then the same inference
        separate.fit(d);
        fused.fit(d);
        var op = fused.getLayer("op");
        for (int st = 0; st < stages.size(); st++) {
            var bn = separate.getLayer(bnName(stages, st));
            assertClose(op.getParam(FusedOpParams.mean(st)), bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(1, F));
            assertClose(op.getParam(FusedOpParams.var(st)), variance(bn));
            assertThat(op.getParam(FusedOpParams.var(st)).minNumber().doubleValue()).as("variance moved off its start")
                    .isNotEqualTo(1.0);
        }
        String first = FusedOpParams.kernel(0);
        assertClose(op.getParam(first), fusedLayout(separate.getLayer("c0").getParam("W"), convs.get(0),
                op.getParam(first).shape()));
        INDArray inference = batch(size).getFeatures();
        assertThat(fused.outputSingle(inference).sub(separate.outputSingle(inference)).amaxNumber().doubleValue()).isLessThan(1e-4);
    }

    private static ComputationGraph reduction(boolean fused, boolean relu, int size) {
        var gb = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1)).l2(1e-3).weightInit(WeightInit.RELU)
                .graphBuilder().addInputs("x").setInputTypes(InputType.convolutional(size, size, C));
        gb.addLayer("in", pre(), "x");
        if (fused) {
            gb.addLayer("op", new FactorizedReduction.Builder().relu(relu).eps(1e-3).decay(0.9).nOut(F).build(), "in");
        } else {
            String in = "in";
            if (relu) {
                gb.addLayer("relu", new OutOfPlaceRelu("relu"), "in");
                in = "relu";
            }
            gb.addLayer("c0", new Conv2d.Builder(1, 1).stride(2, 2).convolutionMode(ConvolutionMode.Truncate).nOut(F / 2)
                            .hasBias(false).activation(Activation.IDENTITY).build(), in)
                    .addLayer("pad", new ZeroPaddingLayer.Builder(0, 1, 0, 1).build(), in)
                    .addLayer("shift", new Cropping2D.Builder(1, 0, 1, 0).build(), "pad")
                    .addLayer("c1", new Conv2d.Builder(1, 1).stride(2, 2).convolutionMode(ConvolutionMode.Truncate)
                            .nOut(F - F / 2).hasBias(false).activation(Activation.IDENTITY).build(), "shift")
                    .addVertex("cat", new MergeVertex(), "c0", "c1")
                    .addLayer("op", new BatchNormalization.Builder().eps(1e-3).decay(0.9).activation(Activation.IDENTITY)
                            .build(), "cat");
        }
        return LayerHelpers.graph(gb.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "op")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(3).build(), "pool")
                .setOutputs("out").build());
    }

    @ParameterizedTest(name = "relu={0} size={1}")
    @CsvSource({"true,8", "false,7", "true,9"})
    void factorizedReductionTrainsAsDl4jsLayers(boolean relu, int size) {
        Nd4j.getRandom().setSeed(size);
        ComputationGraph separate = reduction(false, relu, size);
        ComputationGraph fused = reduction(true, relu, size);
        assertThat(fused.getLayer("op")).isInstanceOf(FusedOpLayer.class);
        assertThat(fused.getLayer("op").getConfig()).isInstanceOf(FactorizedReduction.class);
        assertThat(fused.numParams()).isEqualTo(separate.numParams());
        var op = fused.getLayer("op");
        op.setParam(FusedOpParams.kernel(0), separate.getLayer("c0").getParam("W").dup());
        op.setParam(FusedOpParams.kernel(1), separate.getLayer("c1").getParam("W").dup());
        copyBatchNorm(separate.getLayer("op"), op, 0);
        copyEnds(separate, fused);
        DataSet d = batch(size);

        sameOutputAndScore(separate, fused, d);
        var gs = separate.gradient().gradientForVariable();
        var gf = fused.gradient().gradientForVariable();
        assertClose(gf.get("op_" + FusedOpParams.kernel(0)), gs.get("c0_W"));
        assertClose(gf.get("op_" + FusedOpParams.kernel(1)), gs.get("c1_W"));
        assertClose(gf.get("op_" + FusedOpParams.gamma(0)), gs.get("op_" + BatchNormalizationParamInitializer.GAMMA).reshape(1, F));
        assertClose(gf.get("out_W"), gs.get("out_W"));
        // the input gradient, through both paths (and the ReLU, where there is one), reaches "pre"
        assertClose(gf.get("in_W"), gs.get("in_W"));
        separate.fit(d);
        fused.fit(d);
        assertClose(op.getParam(FusedOpParams.mean(0)),
                separate.getLayer("op").getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(1, F));
        assertClose(op.getParam(FusedOpParams.var(0)), variance(separate.getLayer("op")));
        assertClose(op.getParam(FusedOpParams.kernel(1)), separate.getLayer("c1").getParam("W"));
        INDArray inference = batch(size).getFeatures();
        assertThat(fused.outputSingle(inference).sub(separate.outputSingle(inference)).amaxNumber().doubleValue()).isLessThan(1e-4);
    }

    /** The layer "op" gives the same training-mode output in both networks, and the loss is the same; gradients computed. */
    private static void sameOutputAndScore(ComputationGraph separate, ComputationGraph fused, DataSet d) {
        INDArray expected = separate.feedForward(d.getFeatures(), true).get("op");
        INDArray actual = fused.feedForward(d.getFeatures(), true).get("op");
        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-4);
        gradientAndScore(separate, d);
        gradientAndScore(fused, d);
        assertThat(fused.score()).isCloseTo(separate.score(), within(1e-5));
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
        ComputationGraph g = net(true, stages("sep", 5, 2), 8, 0);
        DataSet d = batch(8);
        gradientAndScore(g, d);
        var grads = g.gradient().gradientForVariable();
        var layer = g.getLayer("op");
        for (String key : new String[]{FusedOpParams.kernel(0), FusedOpParams.kernel(1), FusedOpParams.kernel(3),
                FusedOpParams.gamma(0)}) {
            INDArray grad = grads.get("op_" + key).reshape(-1);
            INDArray param = layer.getParam(key).reshape(-1);
            for (int pick = 0; pick < 3; pick++) {
                long i = Nd4j.argMax(Transforms.abs(grad, true)).getLong(0);
                double analytic = grad.getDouble(i);
                grad = grad.dup().putScalar(i, 0);
                double p = param.getDouble(i);
                double h = 2e-3;
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
        ComputationGraph g = net(true, stages("sep", 7, 2), 9, 1e-3);
        g.fit(batch(9));
        var conf = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        var vertex = (org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get("op");
        ReluConvBn layer = (ReluConvBn) vertex.getLayerConf().getLayer();
        assertThat(layer.getStages()).containsExactly(2, 2);
        assertThat(layer.getConvs()).hasSize(4);
        assertThat(layer.getConvs().get(0).isDepthwise()).isTrue();
        assertThat(layer.getConvs().get(0).getKernelW()).isEqualTo(7);
        assertThat(layer.getConvs().get(0).getStrideW()).isEqualTo(2);
        assertThat(layer.getConvs().get(2).getStrideW()).isEqualTo(1);
        assertThat(layer.getNOut()).isEqualTo(F);
        assertThat(layer.getDecay()).isEqualTo(0.9);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(g, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        INDArray x = batch(9).getFeatures();
        assertThat(restored.outputSingle(x).sub(g.outputSingle(x)).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void refusesWhatItCannotCompute() {
        assumeTrue(FusedOpConf.available());
        ComputationGraph g = net(true, stages("conv", 3, 1), 8, 0);
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 2, C, 8, 8);
        assertThatThrownBy(() -> g.getLayer("op").activate(doubles, false, LayerWorkspaceMgr.noWorkspaces()))
                .hasMessageContaining("\"op\"").hasMessageContaining("FLOAT");
        assertThatThrownBy(() -> new ReluConvBn.Builder().stage(Conv.of(4, 4, 1, 1, 1, F)).build()).hasMessageContaining("odd");
        assertThatThrownBy(() -> new ReluConvBn.Builder().build()).hasMessageContaining("at least one");
    }
}
