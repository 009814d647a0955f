/**
 * A found model out of the JVM: {@link io.nasnet.export.OnnxExporter} writes a trained network as an
 * ONNX model (inference form, the model card in its metadata) for ONNX Runtime, TensorRT and the
 * other ONNX stacks.
 */
package io.nasnet.export;
