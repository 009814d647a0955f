package io.nasnet.child;

import io.nasnet.child.layers.SamePadding;
import io.nasnet.child.kernels.DepthwiseConv2d;
import io.nasnet.child.layers.Conv;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.nd4j.linalg.activations.Activation;

import java.util.List;

/**
 * The ops of DL4J's layers: for each stage a shared ReLU of its input, a layer per convolution
 * ({@link io.nasnet.child.kernels.Conv2d}, {@link DepthwiseConv2d}) and a batch norm. Where oneDNN's
 * library does not load (the CUDA backend).
 */
final class SeparateOps implements OpLayers {

    @Override
    public Node reluConvBn(LayerGraph g, String name, Node x, List<List<Conv>> stages) {
        Node in = x;
        for (int st = 0; st < stages.size(); st++) {
            String prefix = stages.size() == 1 ? name : name + "_" + (st + 1);
            in = g.relu(in);
            for (int i = 0; i < stages.get(st).size(); i++) {
                Conv c = stages.get(st).get(i);
                String layer = prefix + "_conv" + i;
                if (c.isDepthwise()) {
                    g.add(layer, new DepthwiseConv2d.Builder(c.getKernelH(), c.getKernelW())
                            .stride(c.getStrideH(), c.getStrideW()).depthMultiplier(1)
                            .convolutionMode(ConvolutionMode.Same).hasBias(false)
                            .activation(Activation.IDENTITY).build(), in.name());
                    in = new Node(layer, in.c(), SamePadding.outSize(in.h(), c.getStrideH()),
                            SamePadding.outSize(in.w(), c.getStrideW()));
                } else {
                    in = g.conv(layer, in, (int) c.getNOut(), c.getKernelH(), c.getKernelW(), c.getStrideH(),
                            c.getStrideW(), c.getDilation(), ConvolutionMode.Same);
                }
            }
            in = g.bn(prefix + "_bn", in);
        }
        return in;
    }

    @Override
    public Node factorizedReduction(LayerGraph g, String name, Node x, int filters, boolean withRelu) {
        int half = filters / 2;
        Node in = withRelu ? g.relu(x) : x;
        Node path1 = g.conv(name + "_path1", in, half, 1, 1, 2, 2, 1, ConvolutionMode.Truncate);
        g.add(name + "_pad", new ZeroPaddingLayer.Builder(0, 1, 0, 1).build(), in.name());
        g.add(name + "_shift", new Cropping2D.Builder(1, 0, 1, 0).build(), name + "_pad");
        Node shifted = new Node(name + "_shift", in.c(), in.h(), in.w());
        Node path2 = g.conv(name + "_path2", shifted, filters - half, 1, 1, 2, 2, 1, ConvolutionMode.Truncate);
        g.add(name + "_cat", new MergeVertex(), path1.name(), path2.name());
        return g.bn(name + "_bn", new Node(name + "_cat", filters, path1.h(), path1.w()));
    }
}
