package io.nasnet.export;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Networks no search makes, for the exporter's errors. */
public final class HandMadeNetworks {

    private HandMadeNetworks() {
    }

    /** 8x8x1 input, a DL4J {@code SeparableConvolution2D} named "sep" (which the exporter does not know), {@code classes} classes. */
    public static ComputationGraph withSeparableConvolution(int classes) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).nOut(4)
                        .convolutionMode(ConvolutionMode.Same).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "sep")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX)
                        .nOut(classes).build(), "pool")
                .setOutputs("out").build());
        net.init();
        return net;
    }
}
