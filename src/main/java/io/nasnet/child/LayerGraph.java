package io.nasnet.child;

import org.deeplearning4j.nn.conf.ConvolutionMode;

/** What {@link OpLayers} may do to the graph {@link NetworkBuilder} is wiring. */
interface LayerGraph {

    /** Adds a layer or vertex reading {@code inputs}. */
    void add(String name, Object layerOrVertex, String... inputs);

    /** The ReLU of {@code x}, added once and shared by every op that reads it. */
    Node relu(Node x);

    /** A convolution without bias. */
    Node conv(String name, Node x, int filters, int kh, int kw, int sh, int sw, int dilation, ConvolutionMode mode);

    /** A batch norm. */
    Node bn(String name, Node x);
}
