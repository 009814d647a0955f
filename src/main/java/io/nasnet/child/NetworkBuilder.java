package io.nasnet.child;

import io.nasnet.child.layers.SamePadding;
import io.nasnet.child.kernels.LayerHelpers;

import io.nasnet.child.kernels.Conv2d;
import io.nasnet.child.layers.DropPath;
import io.nasnet.child.layers.OutOfPlaceRelu;
import io.nasnet.child.onednn.FusedOpConf;

import io.nasnet.space.Block;
import io.nasnet.space.Cell;
import io.nasnet.space.CellType;
import io.nasnet.space.Combine;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import io.nasnet.child.layers.Conv;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a genotype and a {@link Stacking} into a DL4J {@link ComputationGraph}, following the
 * paper's appendix A.4 and TF-slim's wiring, so that NASNet-A reproduces the published parameter
 * counts:
 * <ul>
 *   <li>every op is ReLU -> conv -> BN, one {@link io.nasnet.child.onednn.ReluConvBn} layer where oneDNN's library loads
 *       (the CPU backend), else separate layers; a separable conv (depthwise + 1x1, DL4J's own
 *       {@code SeparableConvolution2D} being 5-20x slower) is applied twice, only the first strided;</li>
 *   <li>in a Reduction cell, ops that read the cell inputs have stride 2;</li>
 *   <li>pooling is followed by 1x1 conv + BN only where channels differ; identity with a stride or
 *       a channel change becomes ReLU -> strided 1x1 conv -> BN;</li>
 *   <li>h_{i-1} of another spatial size goes through a factorized reduction (after its ReLU), and
 *       so does any output-concat state of another size (without), one {@link io.nasnet.child.onednn.FactorizedReduction}
 *       layer where oneDNN's library loads.</li>
 * </ul>
 * In separate layers, a ReLU of a state is computed once and shared by every op that reads it.
 */
public final class NetworkBuilder {

    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String AUX_OUTPUT = "aux_output";

    private final Genotype genotype;
    private final Stacking stacking;
    private final NetworkOptions options;
    private final ComputationGraphConfiguration.GraphBuilder gb;
    private final Map<String, Node> relus = new HashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** How ReLU-conv-BN ops and factorized reductions become layers: fused, or separate. */
    private final OpLayers ops;
    private final LayerGraph graph = new LayerGraph() {
        @Override
        public void add(String name, Object layerOrVertex, String... inputs) {
            NetworkBuilder.this.add(name, layerOrVertex, inputs);
        }

        @Override
        public Node relu(Node x) {
            return NetworkBuilder.this.relu(x);
        }

        @Override
        public Node conv(String name, Node x, int filters, int kh, int kw, int sh, int sw, int dilation,
                         ConvolutionMode mode) {
            return NetworkBuilder.this.conv(name, x, filters, kh, kw, sh, sw, dilation, mode);
        }

        @Override
        public Node bn(String name, Node x) {
            return NetworkBuilder.this.bn(name, x);
        }
    };
    private int cellNumber;

    /** A layer or vertex waiting to be added; only those the outputs depend on are. */
    private record Pending(Object layerOrVertex, String[] inputs) {
    }


    private NetworkBuilder(Genotype genotype, Stacking stacking, NetworkOptions options, boolean fused) {
        this.ops = fused ? new FusedOps(options) : new SeparateOps();
        this.genotype = genotype;
        this.stacking = stacking;
        this.options = options;
        this.gb = new NeuralNetConfiguration.Builder()
                .seed(options.seed())
                .updater(options.updater())
                .weightInit(WeightInit.RELU)
                .l2(options.weightDecay())
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(stacking.height(), stacking.width(), stacking.channels()));
    }

    /** The network's configuration; nothing is allocated. */
    public static ComputationGraphConfiguration configuration(Genotype genotype, Stacking stacking,
                                                              NetworkOptions options) {
        return configuration(genotype, stacking, options, fusedOps());
    }

    /** The initialized network, ready to train. */
    public static ComputationGraph network(Genotype genotype, Stacking stacking, NetworkOptions options) {
        return network(genotype, stacking, options, fusedOps());
    }

    /** oneDNN layers wherever oneDNN is on ({@link FusedOpConf#available()}). */
    private static boolean fusedOps() {
        return FusedOpConf.available();
    }

    /** As {@link #configuration(Genotype, Stacking, NetworkOptions)}, ops fused or not as asked. */
    static ComputationGraphConfiguration configuration(Genotype genotype, Stacking stacking, NetworkOptions options,
                                                       boolean fused) {
        return new NetworkBuilder(genotype, stacking, options, fused).build();
    }

    /**
     * As {@link #network(Genotype, Stacking, NetworkOptions)}, ops fused or not as asked: a network of
     * separate layers is what a machine without oneDNN (the CUDA backend) builds and saves.
     */
    public static ComputationGraph network(Genotype genotype, Stacking stacking, NetworkOptions options, boolean fused) {
        Nd4j.getRandom().setSeed(options.seed());
        return LayerHelpers.graph(configuration(genotype, stacking, options, fused));
    }

    /**
     * A network ModelSerializer saved (its updater state included, so training goes on where it stopped),
     * by this release or an earlier one ({@link MovedClasses}), with this project's layer helpers
     * installed; {@code what} names it in errors.
     */
    public static ComputationGraph restore(java.io.InputStream in, String what) throws java.io.IOException {
        MovedClasses.register();
        io.nasnet.child.runtime.Dl4jRuntime.install();
        ComputationGraph net;
        try {
            net = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(in, true);
        } catch (java.io.IOException | RuntimeException e) {
            throw new java.io.IOException("cannot load model " + what + ": " + e.getMessage(), e);
        }
        LayerHelpers.fitHelpers(net);
        return net;
    }

    private ComputationGraphConfiguration build() {
        Node input = new Node(INPUT, stacking.channels(), stacking.height(), stacking.width());
        List<Node> outputs = new ArrayList<>();
        Node net;
        int f = stacking.f();
        if (stacking.style() == Stacking.Style.CIFAR) {
            int stemFilters = (int) (stacking.f() * stacking.stemMultiplier());
            net = bn("stem_bn", conv("stem_conv", input, stemFilters, 3, 3, 1, 1, 1, ConvolutionMode.Same));
            outputs.add(null);
            outputs.add(net);
        } else {
            int stemFilters = (int) (32 * stacking.stemMultiplier());
            net = bn("stem_bn", conv("stem_conv", input, stemFilters, 3, 3, 2, 2, 1, ConvolutionMode.Truncate));
            outputs.add(null);
            outputs.add(net);
            double scaling = 0.25;
            for (int i = 0; i < 2; i++) {
                net = cell("stem" + i, genotype.reduction(), net, outputs.get(outputs.size() - 2), (int) (f * scaling));
                outputs.add(net);
                scaling *= 2;
            }
        }
        int n = stacking.n();
        int filters = f;
        Node aux = null;
        for (int i = 0; i < 3 * n; i++) {
            Node prev = outputs.get(outputs.size() - 2);
            if (i > 0 && i % n == 0) {
                filters *= 2;
                net = cell("r" + (i / n - 1), genotype.reduction(), net, outputs.get(outputs.size() - 2), filters);
                outputs.add(net);
                if (!stacking.skipReductionInput()) {
                    prev = outputs.get(outputs.size() - 2);
                }
            }
            net = cell("n" + i, genotype.normal(), net, prev, filters);
            outputs.add(net);
            if (options.auxHead() && i == 2 * n - 1) {
                aux = auxHead(net);
            }
        }
        Node head = relu(net);
        add("global_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), head.name());
        String last = "global_pool";
        if (options.dropoutKeepProb() < 1.0) {
            add("dropout", new DropoutLayer.Builder(options.dropoutKeepProb()).build(), last);
            last = "dropout";
        }
        add(OUTPUT, new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX)
                .nOut(stacking.classes()).build(), last);
        String[] outs = aux != null ? new String[]{OUTPUT, AUX_OUTPUT} : new String[]{OUTPUT};
        addReachable(outs);
        gb.setOutputs(outs);
        return gb.build();
    }

    private void add(String name, Object layerOrVertex, String... inputs) {
        pending.put(name, new Pending(layerOrVertex, inputs));
    }

    /**
     * Adds to the graph what the outputs depend on, in creation order. A genotype may leave a cell
     * input unread (say, a cell whose blocks only read h_{i-1}); its preamble, and any cell no later
     * cell reads, is then left out rather than computed for nothing.
     */
    private void addReachable(String... outputs) {
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(outputs));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            Pending p = pending.get(name);
            if (p != null && needed.add(name)) {
                todo.addAll(List.of(p.inputs()));
            }
        }
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (!needed.contains(e.getKey())) {
                continue;
            }
            Object v = e.getValue().layerOrVertex();
            if (v instanceof org.deeplearning4j.nn.conf.layers.Layer layer) {
                gb.addLayer(e.getKey(), layer, e.getValue().inputs());
            } else {
                gb.addVertex(e.getKey(), (org.deeplearning4j.nn.conf.graph.GraphVertex) v, e.getValue().inputs());
            }
        }
    }

    /** One cell: the preamble that brings h_i and h_{i-1} to this cell's filters, the blocks, the output concat. */
    private Node cell(String name, Cell cell, Node hi, Node hiPrev, int filters) {
        int number = cellNumber++;
        boolean reduction = cell.type() == CellType.REDUCTION;
        if (hiPrev == null) {
            hiPrev = hi;
        }
        List<Node> states = new ArrayList<>();
        states.add(reluConvBn(name + "_s0", hi, Conv.of(1, 1, 1, 1, 1, filters)));
        if (hiPrev.h() != hi.h() || hiPrev.w() != hi.w()) {
            states.add(factorizedReduction(name + "_s1", hiPrev, filters, true));
        } else if (hiPrev.c() != filters) {
            states.add(reluConvBn(name + "_s1", hiPrev, Conv.of(1, 1, 1, 1, 1, filters)));
        } else {
            states.add(hiPrev);
        }
        List<Block> blocks = cell.blocks();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            String prefix = name + "_b" + b;
            Node left = apply(prefix + "_l", block.op1(), states.get(block.input1()),
                    reduction && block.input1() < 2 ? 2 : 1, filters, number);
            Node right = apply(prefix + "_r", block.op2(), states.get(block.input2()),
                    reduction && block.input2() < 2 ? 2 : 1, filters, number);
            if (block.combine() == Combine.ADD) {
                add(prefix + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), left.name(), right.name());
                states.add(new Node(prefix + "_add", filters, left.h(), left.w()));
            } else {
                add(prefix + "_cat", new MergeVertex(), left.name(), right.name());
                states.add(new Node(prefix + "_cat", left.c() + right.c(), left.h(), left.w()));
            }
        }
        int outH = reduction ? SamePadding.outSize(hi.h(), 2) : hi.h();
        int outW = reduction ? SamePadding.outSize(hi.w(), 2) : hi.w();
        List<Node> concat = new ArrayList<>();
        for (int s : cell.concat()) {
            Node state = states.get(s);
            if (state.h() != outH || state.w() != outW) {
                state = factorizedReduction(name + "_out" + s, state, filters, false);
            }
            concat.add(state);
        }
        if (concat.size() == 1) {
            return concat.get(0);
        }
        add(name + "_out", new MergeVertex(), concat.stream().map(Node::name).toArray(String[]::new));
        return new Node(name + "_out", concat.stream().mapToInt(Node::c).sum(), outH, outW);
    }

    /** One op of a block, with the paper's rules for strides and channel changes. */
    private Node apply(String name, Op op, Node x, int stride, int filters, int cellNumber) {
        Node out = switch (op) {
            case IDENTITY -> stride > 1 || x.c() != filters
                    ? reluConvBn(name, x, Conv.of(1, 1, stride, stride, 1, filters))
                    : x;
            case AVG_POOL_3X3, MAX_POOL_3X3, MAX_POOL_5X5, MAX_POOL_7X7 -> {
                Node pooled = pool(name + "_pool", x, op, stride);
                yield x.c() != filters
                        ? bn(name + "_bn", conv(name + "_conv", pooled, filters, 1, 1, 1, 1, 1, ConvolutionMode.Same))
                        : pooled;
            }
            case CONV_1X1, CONV_3X3 -> reluConvBn(name, x, Conv.of(op.kernel(), op.kernel(), stride, stride, 1, filters));
            case DIL_CONV_3X3 -> reluConvBn(name, x, Conv.of(3, 3, stride, stride, 2, filters));
            case CONV_1X3_3X1, CONV_1X7_7X1 -> reluConvBn(name, x, Conv.of(1, op.kernel(), 1, stride, 1, filters),
                    Conv.of(op.kernel(), 1, stride, 1, 1, filters));
            case SEP_3X3, SEP_5X5, SEP_7X7 -> {
                int k = op.kernel();
                yield reluConvBn(name + "_sep", x,
                        List.of(Conv.depthwise(k, stride, x.c()), Conv.of(1, 1, 1, 1, 1, filters)),
                        List.of(Conv.depthwise(k, 1, filters), Conv.of(1, 1, 1, 1, 1, filters)));
            }
        };
        if (op != Op.IDENTITY && options.dropPathKeepProb() < 1.0) {
            double depth = (cellNumber + 1) / (double) stacking.totalCells();
            add(name + "_droppath", new DropPath(name + "_droppath", options.dropPathKeepProb(), depth,
                    options.dropPathSteps()), out.name());
            out = new Node(name + "_droppath", out.c(), out.h(), out.w());
        }
        return out;
    }

    /** TF-slim's factorized reduction, after a ReLU if asked ({@link OpLayers}). */
    private Node factorizedReduction(String name, Node x, int filters, boolean withRelu) {
        return ops.factorizedReduction(graph, name, x, filters, withRelu);
    }

    private Node relu(Node x) {
        return relus.computeIfAbsent(x.name(), k -> {
            add(k + "_relu", new OutOfPlaceRelu(k + "_relu"), k);
            return new Node(k + "_relu", x.c(), x.h(), x.w());
        });
    }

    private Node conv(String name, Node x, int filters, int kh, int kw, int sh, int sw, int dilation,
                      ConvolutionMode mode) {
        add(name, new Conv2d.Builder(kh, kw).stride(sh, sw).dilation(dilation, dilation)
                .convolutionMode(mode).nOut(filters).hasBias(false).activation(Activation.IDENTITY).build(), x.name());
        int h = mode == ConvolutionMode.Same ? SamePadding.outSize(x.h(), sh) : (x.h() - kh) / sh + 1;
        int w = mode == ConvolutionMode.Same ? SamePadding.outSize(x.w(), sw) : (x.w() - kw) / sw + 1;
        return new Node(name, filters, h, w);
    }

    /** One stage: ReLU, the convolutions, BN. */
    private Node reluConvBn(String name, Node x, Conv... convs) {
        return reluConvBn(name, x, List.of(convs));
    }

    /** Stages of ReLU, convolutions, BN ({@link OpLayers}). */
    @SafeVarargs
    private Node reluConvBn(String name, Node x, List<Conv>... stages) {
        return ops.reluConvBn(graph, name, x, List.of(stages));
    }

    private Node pool(String name, Node x, Op op, int stride) {
        PoolingType type = op == Op.AVG_POOL_3X3 ? PoolingType.AVG : PoolingType.MAX;
        int k = op.kernel();
        add(name, new SubsamplingLayer.Builder(type).kernelSize(k, k).stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same).avgPoolIncludePadInDivisor(false).build(), x.name());
        return new Node(name, x.c(), SamePadding.outSize(x.h(), stride), SamePadding.outSize(x.w(), stride));
    }

    private Node bn(String name, Node x) {
        add(name, new BatchNormalization.Builder().eps(options.bnEps()).decay(options.bnDecay())
                .activation(Activation.IDENTITY).build(), x.name());
        return new Node(name, x.c(), x.h(), x.w());
    }

    /** TF-slim's auxiliary classifier: ReLU, 5x5/3 avg pool, 1x1 conv 128, BN, ReLU, full-size conv 768, BN, ReLU, softmax. */
    private Node auxHead(Node x) {
        if (x.h() < 5 || x.w() < 5) {
            throw new IllegalArgumentException("the auxiliary head needs feature maps of at least 5x5 at 2/3 depth, got "
                    + x.h() + "x" + x.w() + "; use a larger input or turn the aux head off");
        }
        Node r = relu(x);
        add("aux_pool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(5, 5).stride(3, 3)
                .convolutionMode(ConvolutionMode.Truncate).build(), r.name());
        Node pooled = new Node("aux_pool", x.c(), (x.h() - 5) / 3 + 1, (x.w() - 5) / 3 + 1);
        Node proj = bn("aux_bn0", conv("aux_proj", pooled, 128, 1, 1, 1, 1, 1, ConvolutionMode.Same));
        Node projRelu = relu(proj);
        Node full = bn("aux_bn1", conv("aux_conv", projRelu, 768, proj.h(), proj.w(), 1, 1, 1, ConvolutionMode.Truncate));
        Node fullRelu = relu(full);
        double w = options.auxHeadWeight();
        double[] weights = new double[stacking.classes()];
        java.util.Arrays.fill(weights, w);
        add(AUX_OUTPUT, new OutputLayer.Builder(new LossMCXENT(Nd4j.create(weights)))
                .activation(Activation.SOFTMAX).nOut(stacking.classes()).build(), fullRelu.name());
        return new Node(AUX_OUTPUT, stacking.classes(), 1, 1);
    }

}
