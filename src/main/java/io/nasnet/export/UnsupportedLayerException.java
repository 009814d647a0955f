package io.nasnet.export;

/** A network the ONNX exporter cannot express: the message names the layer or vertex and why. */
public final class UnsupportedLayerException extends IllegalArgumentException {

    public UnsupportedLayerException(String message) {
        super(message);
    }
}
