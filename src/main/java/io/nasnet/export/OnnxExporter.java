package io.nasnet.export;

import io.nasnet.child.layers.SamePadding;
import io.nasnet.child.layers.Conv;
import org.nd4j.shade.protobuf.ByteString;
import io.nasnet.child.kernels.Conv2d;
import io.nasnet.child.kernels.DepthwiseConv2d;
import io.nasnet.child.layers.DropPath;
import io.nasnet.child.layers.OutOfPlaceRelu;
import io.nasnet.child.onednn.FactorizedReduction;
import io.nasnet.child.onednn.ReluConvBn;
import io.nasnet.data.AtomicFile;
import io.nasnet.train.ModelCard;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained network as an ONNX model in inference form, so that it runs in ONNX Runtime, TensorRT
 * or any ONNX stack. Each layer becomes the standard operators that compute exactly what DL4J
 * computes: batch norms with their running statistics, depthwise convolutions as grouped
 * convolutions, SAME padding as DL4J pads (the extra row at the bottom), average pooling without
 * the padding in its divisor, the factorized reduction's shifted path as a pad and a slice. Drop
 * path, dropout and the auxiliary head are training-only and left out; the output is the softmax.
 * The {@link ModelCard} goes into the model's metadata ({@code nasnet.*} keys). A layer the
 * exporter does not know fails the export, naming it.
 */
public final class OnnxExporter {

    /** ONNX's operator set the models use: Runtime, TensorRT and the converters all read it. */
    public static final int OPSET = 13;
    /** The IR version of opset 13. */
    public static final int IR_VERSION = 7;
    /** The graph's input, {@code [batch, C, H, W]} float, normalized as the card says. */
    public static final String INPUT = "input";
    /** The graph's output, {@code [batch, classes]} probabilities. */
    public static final String OUTPUT = "probabilities";

    private final ComputationGraph net;
    private final ModelCard card;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    /** The ONNX value holding each exported vertex's output. */
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, InputType> types;
    private final String outputVertex;
    private final Map<Class<? extends Layer>, LayerForm> forms = forms();

    private OnnxExporter(ComputationGraph net, ModelCard card) {
        this.net = net;
        this.card = card;
        ComputationGraphConfiguration conf = net.getConfiguration();
        this.types = conf.getLayerActivationTypes(InputType.convolutional(card.stacking().height(),
                card.stacking().width(), card.stacking().channels()));
        this.outputVertex = conf.getNetworkOutputs().get(0);
    }

    /**
     * The ONNX model of {@code net}, whose input and classes {@code card} describes.
     *
     * @throws UnsupportedLayerException if the network has a layer or vertex the exporter does not know
     */
    public static ModelProto export(ComputationGraph net, ModelCard card) {
        return new OnnxExporter(net, card).build();
    }

    /** Writes {@code model} to {@code file} on any Hadoop FileSystem, atomically. */
    public static void write(ModelProto model, Path file, Configuration hadoop) throws IOException {
        AtomicFile.write(file, hadoop, model::writeTo);
    }

    private ModelProto build() {
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new UnsupportedLayerException("the network has " + conf.getNetworkInputs().size()
                    + " inputs; the exporter takes networks of one image input");
        }
        values.put(conf.getNetworkInputs().get(0), INPUT);
        Set<String> needed = needed(conf);
        for (String name : conf.getTopologicalOrderStr()) {
            if (values.containsKey(name) || !needed.contains(name)) {
                continue;
            }
            List<String> inputs = conf.getVertexInputs().get(name).stream().map(values::get).toList();
            values.put(name, vertex(name, conf.getVertices().get(name), inputs));
        }
        int classes = card.stacking().classes();
        graph.setName("nasnet-" + card.archId())
                .addInput(tensor(INPUT, card.stacking().channels(), card.stacking().height(), card.stacking().width()))
                .addOutput(tensor(OUTPUT, classes));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("nasnet-spark")
                .setProducerVersion(version())
                .setDocString("NASNet architecture " + card.archId() + " (" + card.stacking().label() + "), input "
                        + INPUT + " " + card.inputShape() + " float NCHW, " + card.normalization() + "; output "
                        + OUTPUT + " [batch, " + classes + "] softmax probabilities")
                .setGraph(graph);
        metadata(model);
        return model.build();
    }

    /** The vertices the first output depends on: the auxiliary head is not among them. */
    private Set<String> needed(ComputationGraphConfiguration conf) {
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(outputVertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (needed.add(v) && conf.getVertexInputs().containsKey(v)) {
                todo.addAll(conf.getVertexInputs().get(v));
            }
        }
        return needed;
    }

    private void metadata(ModelProto.Builder model) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("nasnet.arch_id", card.archId());
        m.put("nasnet.genotype", card.genotype());
        m.put("nasnet.stacking", card.stacking().style().name().toLowerCase(java.util.Locale.ROOT) + " "
                + card.stacking().label());
        m.put("nasnet.input", INPUT + " " + card.inputShape() + " float32 NCHW");
        m.put("nasnet.normalization", card.normalization());
        m.put("nasnet.mean", join(card.mean()));
        m.put("nasnet.std", join(card.std()));
        m.put("nasnet.labels", String.join("\n", card.labels()));
        m.put("nasnet.output", OUTPUT + " [batch, " + card.stacking().classes() + "] softmax probabilities");
        if (card.dataset() != null) {
            m.put("nasnet.dataset", card.dataset());
        }
        if (card.provenance() != null) {
            m.put("nasnet.search_id", card.provenance().searchId());
            m.put("nasnet.recipe", card.provenance().recipe());
            m.put("nasnet.data_checksum", card.provenance().dataChecksum());
            m.put("nasnet.seed", String.valueOf(card.provenance().seed()));
            m.put("nasnet.version", card.provenance().version());
            m.put("nasnet.commit", card.provenance().commit());
        }
        m.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    }

    private static String join(float[] xs) {
        StringBuilder sb = new StringBuilder();
        for (float x : xs) {
            sb.append(sb.length() == 0 ? "" : ",").append(x);
        }
        return sb.toString();
    }

    private static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** Emits one vertex; returns the ONNX value of its output. */
    private String vertex(String name, GraphVertex v, List<String> inputs) {
        String out = name.equals(outputVertex) ? OUTPUT : name;
        if (v instanceof MergeVertex) {
            return node("Concat", inputs, out, intAttr("axis", 1));
        }
        if (v instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add) {
            return node(inputs.size() == 2 ? "Add" : "Sum", inputs, out);
        }
        if (v instanceof LayerVertex lv) {
            if (lv.getPreProcessor() != null) {
                throw new UnsupportedLayerException("cannot export vertex '" + name + "': its input preprocessor "
                        + lv.getPreProcessor().getClass().getName() + " has no ONNX form here");
            }
            return layer(name, lv.getLayerConf().getLayer(), inputs.get(0), out);
        }
        throw new UnsupportedLayerException("cannot export vertex '" + name + "' (" + describe(v)
                + "): the ONNX exporter knows layers, merge (concat) and element-wise add vertices");
    }

    private static String describe(GraphVertex v) {
        return v instanceof ElementWiseVertex e ? "element-wise " + e.getOp() : v.getClass().getName();
    }

    /** How one kind of layer becomes ONNX nodes: returns the ONNX value of its output. */
    @FunctionalInterface
    private interface LayerForm {
        String emit(String name, Layer layer, String x, InputType.InputTypeConvolutional in, String out);
    }

    /**
     * The ONNX form of each layer class the exporter knows, by exact class: DL4J's own classes and this
     * project's, never a subclass the exporter has not seen (it may compute something else).
     */
    private Map<Class<? extends Layer>, LayerForm> forms() {
        LayerForm identity = (name, layer, x, in, out) -> x;
        LayerForm depthwise = (name, layer, x, in, out) -> {
            DepthwiseConvolution2D d = (DepthwiseConvolution2D) layer;
            INDArray w = param(name, "W"); // [kh, kw, C, multiplier]
            long c = w.size(2);
            INDArray kernel = w.permute(2, 3, 0, 1).dup('c').reshape('c', c * w.size(3), 1, w.size(0), w.size(1));
            String y = conv(name, x, kernel, d.hasBias() ? param(name, "b") : null, d.getKernelSize(), d.getStride(),
                    d.getDilation(), pads(d.getConvolutionMode(), d.getPadding(), in, d.getKernelSize(), d.getStride(),
                            d.getDilation()), (int) c, activated(d) ? name + "/conv" : out);
            return activation(name, d, y, out);
        };
        LayerForm convolution = (name, layer, x, in, out) -> {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            String y = conv(name, x, param(name, "W"), c.hasBias() ? param(name, "b") : null, c.getKernelSize(),
                    c.getStride(), c.getDilation(), pads(c.getConvolutionMode(), c.getPadding(), in, c.getKernelSize(),
                            c.getStride(), c.getDilation()), 1, activated(c) ? name + "/conv" : out);
            return activation(name, c, y, out);
        };
        LayerForm dense = (name, layer, x, in, out) -> {
            BaseLayer d = (BaseLayer) layer;
            requireKnown(name, layer, d.getActivationFn());
            String y = node("Gemm", List.of(x, floats(name + "/W", param(name, "W")),
                    floats(name + "/b", param(name, "b").reshape(-1))), activated(d) ? name + "/gemm" : out);
            return activation(name, d, y, out);
        };
        Map<Class<? extends Layer>, LayerForm> forms = new HashMap<>();
        forms.put(DropPath.class, identity);
        forms.put(DropoutLayer.class, identity);
        forms.put(OutOfPlaceRelu.class, (name, layer, x, in, out) -> node("Relu", List.of(x), out));
        forms.put(ReluConvBn.class, (name, layer, x, in, out) -> reluConvBn(name, (ReluConvBn) layer, x, in, out));
        forms.put(FactorizedReduction.class,
                (name, layer, x, in, out) -> factorizedReduction(name, (FactorizedReduction) layer, x, out));
        forms.put(DepthwiseConvolution2D.class, depthwise);
        forms.put(DepthwiseConv2d.class, depthwise);
        forms.put(ConvolutionLayer.class, convolution);
        forms.put(Conv2d.class, convolution);
        forms.put(BatchNormalization.class, (name, layer, x, in, out) -> batchNorm(name, (BatchNormalization) layer,
                x, activated((BatchNormalization) layer) ? name + "/bn" : out, in.getChannels()));
        forms.put(SubsamplingLayer.class, (name, layer, x, in, out) -> pool(name, (SubsamplingLayer) layer, x, in, out));
        forms.put(ZeroPaddingLayer.class, (name, layer, x, in, out) -> {
            int[] p = ((ZeroPaddingLayer) layer).getPadding(); // top, bottom, left, right
            return node("Pad", List.of(x, longs(name + "/pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3])), out);
        });
        forms.put(Cropping2D.class, (name, layer, x, in, out) -> {
            int[] p = ((Cropping2D) layer).getCropping(); // top, bottom, left, right
            return node("Slice", List.of(x, longs(name + "/starts", p[0], p[2]),
                    longs(name + "/ends", in.getHeight() - p[1], in.getWidth() - p[3]), longs(name + "/axes", 2, 3)), out);
        });
        forms.put(GlobalPoolingLayer.class, (name, layer, x, in, out) -> {
            GlobalPoolingLayer g = (GlobalPoolingLayer) layer;
            if (g.getPoolingType() != PoolingType.AVG && g.getPoolingType() != PoolingType.MAX) {
                throw unsupported(name, layer, "global " + g.getPoolingType() + " pooling");
            }
            String pooled = node(g.getPoolingType() == PoolingType.AVG ? "GlobalAveragePool" : "GlobalMaxPool",
                    List.of(x), name + "/pool");
            return g.isCollapseDimensions() ? node("Flatten", List.of(pooled), out, intAttr("axis", 1)) : pooled;
        });
        forms.put(OutputLayer.class, dense);
        forms.put(DenseLayer.class, dense);
        forms.put(ActivationLayer.class, (name, layer, x, in, out) -> {
            ActivationLayer a = (ActivationLayer) layer;
            requireKnown(name, layer, a.getActivationFn());
            return activationOf(a.getActivationFn(), x, out);
        });
        return forms;
    }

    private String layer(String name, Layer layer, String x, String out) {
        LayerForm form = forms.get(layer.getClass());
        if (form == null) {
            throw unsupported(name, layer, layer.getClass().getName());
        }
        return form.emit(name, layer, x, convolutional(name), out);
    }

    private static void requireKnown(String name, Layer layer, IActivation a) {
        if (!isKnown(a)) {
            throw unsupported(name, layer, "activation " + a);
        }
    }

    private static UnsupportedLayerException unsupported(String name, Layer layer, String what) {
        return new UnsupportedLayerException("cannot export layer '" + name + "' (" + layer.getClass().getName()
                + (what.equals(layer.getClass().getName()) ? "" : ", " + what) + "): the ONNX exporter knows this "
                + "project's layers and DL4J's convolution, depthwise convolution, batch norm, max/avg pooling, zero "
                + "padding, cropping, global pooling, dense and output layers with identity, ReLU or softmax activations");
    }

    private InputType.InputTypeConvolutional convolutional(String vertex) {
        String input = net.getConfiguration().getVertexInputs().get(vertex).get(0);
        InputType t = net.getConfiguration().getNetworkInputs().contains(input)
                ? InputType.convolutional(card.stacking().height(), card.stacking().width(), card.stacking().channels())
                : types.get(input);
        return t instanceof InputType.InputTypeConvolutional c ? c : null;
    }

    private String reluConvBn(String name, ReluConvBn r, String x, InputType.InputTypeConvolutional in, String out) {
        long h = in.getHeight();
        long w = in.getWidth();
        int conv = 0;
        String y = x;
        for (int b = 0; b < r.getStages().size(); b++) {
            y = node("Relu", List.of(y), name + "/relu" + b);
            for (int k = 0; k < r.getStages().get(b); k++, conv++) {
                Conv c = r.getConvs().get(conv);
                INDArray kernel = param(name, "W" + conv);
                int group = 1;
                if (c.isDepthwise()) {
                    group = (int) kernel.size(0);
                    kernel = kernel.reshape('c', kernel.size(0), 1, c.getKernelH(), c.getKernelW());
                }
                int[] kernelSize = {c.getKernelH(), c.getKernelW()};
                int[] stride = {c.getStrideH(), c.getStrideW()};
                int[] dilation = {c.getDilation(), c.getDilation()};
                y = conv(name + "/conv" + conv, y, kernel, null, kernelSize, stride, dilation,
                        samePads(h, w, kernelSize, stride, dilation), group, name + "/conv" + conv);
                h = SamePadding.outSize((int) h, c.getStrideH());
                w = SamePadding.outSize((int) w, c.getStrideW());
            }
            y = batchNorm(name, b, y, b == r.getStages().size() - 1 ? out : name + "/bn" + b, r.getEps());
        }
        return y;
    }

    /**
     * Two 1x1 stride-2 convolutions, the second on the input shifted up and left by one pixel (a zero
     * row and column padded at the bottom and right, the first row and column sliced off), concatenated,
     * batch norm: what {@link FactorizedReduction} computes.
     */
    private String factorizedReduction(String name, FactorizedReduction f, String x, String out) {
        String in = f.isRelu() ? node("Relu", List.of(x), name + "/relu") : x;
        int[] one = {1, 1};
        int[] two = {2, 2};
        long[] none = {0, 0, 0, 0};
        String path1 = conv(name + "/path1", in, param(name, "W0"), null, one, two, one, none, 1, name + "/path1");
        String padded = node("Pad", List.of(in, longs(name + "/shift_pads", 0, 0, 0, 0, 0, 0, 1, 1)), name + "/pad");
        String shifted = node("Slice", List.of(padded, longs(name + "/shift_starts", 1, 1),
                longs(name + "/shift_ends", Long.MAX_VALUE, Long.MAX_VALUE), longs(name + "/shift_axes", 2, 3)),
                name + "/shift");
        String path2 = conv(name + "/path2", shifted, param(name, "W1"), null, one, two, one, none, 1, name + "/path2");
        String cat = node("Concat", List.of(path1, path2), name + "/cat", intAttr("axis", 1));
        return batchNorm(name, 0, cat, out, f.getEps());
    }

    /** Batch norm {@code b} of one of this project's fused layers ({@code gamma<b>}, ..., {@code var<b>}). */
    private String batchNorm(String name, int b, String x, String out, double eps) {
        return node("BatchNormalization", List.of(x,
                floats(name + "/gamma" + b, param(name, "gamma" + b).reshape(-1)),
                floats(name + "/beta" + b, param(name, "beta" + b).reshape(-1)),
                floats(name + "/mean" + b, param(name, "mean" + b).reshape(-1)),
                floats(name + "/var" + b, param(name, "var" + b).reshape(-1))), out, floatAttr("epsilon", eps));
    }

    /**
     * DL4J's batch norm: its running variance, or the log10 of its running deviation, whose square
     * DL4J 1.0.0-M2.1 takes as the variance at inference (adding eps to it again), as done here.
     */
    private String batchNorm(String name, BatchNormalization bn, String x, String out, long channels) {
        Map<String, INDArray> p = net.getLayer(name).paramTable();
        INDArray gamma = bn.isLockGammaBeta() ? constant(channels, bn.getGamma()) : p.get("gamma").reshape(-1);
        INDArray beta = bn.isLockGammaBeta() ? constant(channels, bn.getBeta()) : p.get("beta").reshape(-1);
        INDArray var;
        if (p.containsKey("log10stdev")) {
            double[] log10std = p.get("log10stdev").reshape(-1).toDoubleVector();
            double[] v = new double[log10std.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.pow(10, 2 * log10std[i]);
            }
            var = org.nd4j.linalg.factory.Nd4j.createFromArray(v);
        } else {
            var = p.get("var").reshape(-1);
        }
        return node("BatchNormalization", List.of(x, floats(name + "/gamma", gamma), floats(name + "/beta", beta),
                floats(name + "/mean", p.get("mean").reshape(-1)), floats(name + "/var", var)), out,
                floatAttr("epsilon", bn.getEps()));
    }

    private static INDArray constant(long n, double v) {
        return org.nd4j.linalg.factory.Nd4j.valueArrayOf(n, v);
    }

    private String pool(String name, SubsamplingLayer s, String x, InputType.InputTypeConvolutional in, String out) {
        int[] k = s.getKernelSize();
        int[] st = s.getStride();
        long[] pads = pads(s.getConvolutionMode(), s.getPadding(), in, k, st, new int[]{1, 1});
        List<AttributeProto> attrs = new java.util.ArrayList<>(List.of(intsAttr("kernel_shape", k[0], k[1]),
                intsAttr("strides", st[0], st[1]), intsAttr("pads", pads)));
        String op;
        if (s.getPoolingType() == PoolingType.MAX) {
            op = "MaxPool";
        } else if (s.getPoolingType() == PoolingType.AVG) {
            op = "AveragePool";
            attrs.add(intAttr("count_include_pad", s.isAvgPoolIncludePadInDivisor() ? 1 : 0));
        } else {
            throw new UnsupportedLayerException("cannot export layer '" + name + "': " + s.getPoolingType()
                    + " pooling has no ONNX form here");
        }
        return node(op, List.of(x), out, attrs.toArray(AttributeProto[]::new));
    }

    /** ONNX's pads ({@code [top, left, bottom, right]}) for DL4J's convolution mode and padding. */
    private static long[] pads(ConvolutionMode mode, int[] padding, InputType.InputTypeConvolutional in, int[] k,
                               int[] stride, int[] dilation) {
        if (mode == ConvolutionMode.Same) {
            return samePads(in.getHeight(), in.getWidth(), k, stride, dilation);
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return new long[]{padding[0], padding[1], padding[0], padding[1]};
        }
        throw new UnsupportedLayerException("convolution mode " + mode + " has no ONNX form here");
    }

    /** SAME padding as DL4J pads, none where DL4J leaves the last pixel out (ONNX pads, never crops). */
    private static long[] samePads(long h, long w, int[] k, int[] stride, int[] dilation) {
        int[] p = SamePadding.pads((int) h, (int) w, k, stride, dilation);
        return new long[]{Math.max(0, p[0]), Math.max(0, p[1]), Math.max(0, p[2]), Math.max(0, p[3])};
    }

    private String conv(String name, String x, INDArray kernel, INDArray bias, int[] k, int[] stride, int[] dilation,
                        long[] pads, int group, String out) {
        List<String> inputs = new java.util.ArrayList<>(List.of(x, floats(name + "/W", kernel)));
        if (bias != null) {
            inputs.add(floats(name + "/b", bias.reshape(-1)));
        }
        return node("Conv", inputs, out, intsAttr("kernel_shape", k[0], k[1]), intsAttr("strides", stride[0], stride[1]),
                intsAttr("dilations", dilation[0], dilation[1]), intsAttr("pads", pads), intAttr("group", group));
    }

    private static boolean activated(BaseLayer layer) {
        if (!isKnown(layer.getActivationFn())) {
            throw new UnsupportedLayerException("cannot export layer '" + layer.getLayerName() + "': activation "
                    + layer.getActivationFn() + " (the exporter knows identity, ReLU and softmax)");
        }
        return !(layer.getActivationFn() instanceof ActivationIdentity);
    }

    private static boolean isKnown(IActivation a) {
        return a instanceof ActivationIdentity || a instanceof ActivationReLU || a instanceof ActivationSoftmax;
    }

    private String activation(String name, BaseLayer layer, String y, String out) {
        return activated(layer) ? activationOf(layer.getActivationFn(), y, out) : y;
    }

    private String activationOf(IActivation a, String x, String out) {
        if (a instanceof ActivationIdentity) {
            return node("Identity", List.of(x), out);
        }
        return a instanceof ActivationReLU ? node("Relu", List.of(x), out)
                : node("Softmax", List.of(x), out, intAttr("axis", 1));
    }

    private INDArray param(String layer, String key) {
        INDArray p = net.getLayer(layer).getParam(key);
        if (p == null) {
            throw new UnsupportedLayerException("layer '" + layer + "' has no parameter '" + key + "'");
        }
        return p;
    }

    private String node(String op, List<String> inputs, String out, AttributeProto... attrs) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out)
                .addAllAttribute(Arrays.asList(attrs)));
        return out;
    }

    /** A float initializer of {@code a}'s shape and values. */
    private String floats(String name, INDArray a) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : a.shape()) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** An int64 vector initializer (pads, slice bounds). */
    private String longs(String name, long... v) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(v.length).addAllInt64Data(Arrays.stream(v).boxed().toList()));
        return name;
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto intsAttr(String name, long... v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(v).boxed().toList()).build();
    }

    private static AttributeProto intsAttr(String name, int a, int b) {
        return intsAttr(name, (long) a, (long) b);
    }

    private static AttributeProto floatAttr(String name, double v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) v).build();
    }

    /** A float tensor of {@code [batch, dims...]}, the batch left free. */
    private static ValueInfoProto tensor(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
