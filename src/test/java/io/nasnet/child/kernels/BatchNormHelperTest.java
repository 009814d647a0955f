package io.nasnet.child.kernels;

import io.nasnet.child.Tiny;

import io.nasnet.child.kernels.LayerHelpers;

import io.nasnet.child.kernels.BatchNormHelper;
import io.nasnet.child.kernels.Conv2d;
import io.nasnet.child.layers.OutOfPlaceRelu;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.lang.reflect.Field;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BatchNormHelper} computes what DL4J's built-in batch normalization computes, faster. */
class BatchNormHelperTest {

    private static ComputationGraph net(DataType type, boolean ourHelper) throws ReflectiveOperationException {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(type)
                .updater(type == DataType.DOUBLE ? new NoOp() : new Sgd(0.1)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("conv", new Conv2d.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().eps(1e-3).decay(0.9).activation(Activation.IDENTITY)
                        .build(), "conv")
                .addLayer("relu", new OutOfPlaceRelu("relu"), "bn")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).nOut(2).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph g = LayerHelpers.graph(conf);
        var bn = (org.deeplearning4j.nn.layers.normalization.BatchNormalization) g.getLayer("bn");
        if (ourHelper) {
            assertThat(bn.getHelper()).isInstanceOf(BatchNormHelper.class);
        } else {
            Field helper = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField("helper");
            helper.setAccessible(true);
            helper.set(bn, null);
        }
        return g;
    }

    private static DataSet batch(DataType type) {
        // a channel mean well away from zero, as activations have
        INDArray x = Nd4j.rand(type, 6, 2, 5, 5).muli(3).addi(2);
        INDArray y = Tiny.labels(6, 2, type);
        return new DataSet(x, y);
    }

    @Test
    void trainsExactlyAsDl4jsBuiltInBatchNorm() throws ReflectiveOperationException {
        Nd4j.getRandom().setSeed(21);
        DataSet data = batch(DataType.FLOAT);
        ComputationGraph builtIn = net(DataType.FLOAT, false);
        ComputationGraph ours = net(DataType.FLOAT, true);
        ours.setParams(builtIn.params());
        for (ComputationGraph g : new ComputationGraph[]{builtIn, ours}) {
            g.setInputs(data.getFeatures());
            g.setLabels(data.getLabels());
            g.computeGradientAndScore();
        }
        assertThat(ours.score()).isCloseTo(builtIn.score(), org.assertj.core.api.Assertions.within(1e-5));
        INDArray expected = builtIn.gradient().gradient();
        INDArray actual = ours.gradient().gradient();
        assertThat(expected.norm2Number().doubleValue()).isGreaterThan(1e-3);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);

        for (int i = 0; i < 3; i++) {
            builtIn.fit(data);
            ours.fit(data);
        }
        INDArray expectedParams = builtIn.getLayer("bn").params();
        assertThat(ours.getLayer("bn").params().sub(expectedParams).amaxNumber().doubleValue())
                .as("gamma, beta and the running mean and variance").isLessThan(1e-4);
        INDArray inference = builtIn.outputSingle(false, data.getFeatures());
        assertThat(ours.outputSingle(false, data.getFeatures()).sub(inference).amaxNumber().doubleValue())
                .isLessThan(1e-5);
    }

    @Test
    void passesDl4jGradientCheck() throws ReflectiveOperationException {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(22);
            DataSet data = batch(DataType.DOUBLE);
            ComputationGraph g = net(DataType.DOUBLE, true);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[]{data.getFeatures()}).labels(new INDArray[]{data.getLabels()})
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-9)
                    .excludeParams(Set.of("bn_mean", "bn_var", "bn_log10stdev")));
            assertThat(ok).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }
}
