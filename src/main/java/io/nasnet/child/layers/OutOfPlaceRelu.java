package io.nasnet.child.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A ReLU that never writes to its input. DL4J's {@code ActivationLayer} applies its activation in
 * place at inference, which corrupts a state that a NASNet cell also reads raw (identity and
 * pooling ops read the state, conv ops read its ReLU); in training it copies its input first,
 * which costs memory. This layer writes a new array and keeps nothing extra for backprop.
 */
public class OutOfPlaceRelu extends ShapePreservingLayer {

    /** For JSON deserialization. */
    public OutOfPlaceRelu() {
        super(null);
    }

    public OutOfPlaceRelu(String name) {
        super(name);
    }

    @Override
    protected AbstractLayer<?> create(NeuralNetConfiguration conf, DataType networkDataType) {
        return new OutOfPlaceReluImpl(conf, networkDataType);
    }
}
