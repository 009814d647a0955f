package io.nasnet.child;

import io.nasnet.child.layers.Conv;

import java.util.List;

/**
 * How the two op shapes a NASNet cell is made of become DL4J layers: {@link FusedOps} makes each one
 * layer on oneDNN, {@link SeparateOps} makes them of DL4J's layers. The math is the same; which one
 * {@link NetworkBuilder} uses is decided by where the network runs, never by the architecture.
 */
interface OpLayers {

    /** Stages of ReLU, convolutions (SAME padding, no bias), batch norm on {@code x}. */
    Node reluConvBn(LayerGraph g, String name, Node x, List<List<Conv>> stages);

    /**
     * TF-slim's factorized reduction, after a ReLU if asked: two strided 1x1 paths, the second
     * shifted by one pixel, concatenated, batch norm.
     */
    Node factorizedReduction(LayerGraph g, String name, Node x, int filters, boolean withRelu);
}
