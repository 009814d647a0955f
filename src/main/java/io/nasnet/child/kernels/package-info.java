/**
 * Faster passes for DL4J's own layers, same math: convolutions without the forward pass DL4J's
 * backprop repeats ({@link io.nasnet.child.kernels.Conv2d}, {@link io.nasnet.child.kernels.DepthwiseConv2d}),
 * a batch-norm helper, and {@link io.nasnet.child.kernels.LayerHelpers}, through which every network is
 * created or restored.
 */
package io.nasnet.child.kernels;
