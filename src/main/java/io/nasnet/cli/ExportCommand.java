package io.nasnet.cli;

import io.nasnet.history.Architectures;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.search.SearchConfig;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.export.OnnxExporter;
import io.nasnet.space.Genotype;
import io.nasnet.train.FinalSettings;
import io.nasnet.train.ModelCard;
import io.nasnet.train.SavedModel;
import onnx.Onnx.ModelProto;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** {@code export}: a trained model, or an architecture with random weights, as an ONNX model. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model saved by train (--model), or an architecture with random weights "
                + "(--genotype ... --untrained), as an ONNX model for ONNX Runtime, TensorRT or any ONNX stack.")
final class ExportCommand implements Callable<Integer> {

    /** The formats a model is exported to. */
    enum Format { ONNX }

    @Mixin
    ConfigOptions options;

    @Option(names = "--model", description = "a model file saved by train (any Hadoop FileSystem path)")
    String model;

    @Option(names = "--genotype",
            description = "with --untrained: an architecture id from the history table, a preset (NASNet-A) or a genotype's text")
    String genotype;

    @Option(names = "--untrained", description = "export --genotype's network with random weights, to train elsewhere")
    boolean untrained;

    @Option(names = "--format", defaultValue = "onnx", description = "onnx (default)")
    Format format;

    @Option(names = "--out", required = true, description = "where the ONNX model goes (any Hadoop FileSystem path)")
    String out;

    @Mixin
    StackingOptions stacking;

    @Option(names = "--data", description = "with --untrained: the dataset whose image size, classes, normalization "
            + "and labels the network takes (nasnet.data.path)")
    String data;

    @Option(names = "--input", description = "with --untrained: the input as HxWxC (say 224x224x3) instead of a "
            + "dataset's; pixels are then only scaled to [0, 1]")
    String input;

    @Option(names = "--classes", description = "with --untrained and --input: the number of classes")
    Integer classes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if ((model == null) == (genotype == null)) {
            throw new IllegalArgumentException("give either --model (a model saved by train) or --genotype with --untrained");
        }
        if (genotype != null && !untrained) {
            throw new IllegalArgumentException("--genotype exports a network with random weights: add --untrained, "
                    + "or pass --model for a trained one");
        }
        if (model != null && untrained) {
            throw new IllegalArgumentException("--untrained exports an architecture: pass --genotype instead of --model");
        }
        List<String> sets = new ArrayList<>();
        stacking.addTo(sets);
        ConfigOptions.set(sets, "data.path", data);
        SearchConfig config = options.load(sets);
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        ComputationGraph net;
        ModelCard card;
        if (model != null) {
            SavedModel saved = SavedModel.read(new Path(model), hadoop);
            net = saved.net();
            card = saved.card();
        } else {
            Genotype g = Architectures.resolve(genotype, () -> Spark.session("nasnet-export", config.sparkMaster()),
                    config.historyPath());
            card = untrainedCard(g, config.train(), config);
            net = NetworkBuilder.network(g, card.stacking(), config.train().options(1));
        }
        ModelProto onnx = OnnxExporter.export(net, card);
        OnnxExporter.write(onnx, new Path(out), hadoop);
        net.clear();
        w.printf(Locale.ROOT, "exported %s (%s %s, %s) to %s%n", card.archId(),
                card.stacking().style().name().toLowerCase(Locale.ROOT), card.stacking().label(),
                model != null ? "trained on " + card.dataset() : "random weights", out);
        w.printf(Locale.ROOT, "input:  %s %s float32 NCHW, %s%n", OnnxExporter.INPUT, card.inputShape(),
                card.normalization());
        w.printf(Locale.ROOT, "output: %s [batch, %d] softmax over %s%n", OnnxExporter.OUTPUT,
                card.stacking().classes(), abbreviate(card.labels()));
        w.printf(Locale.ROOT, "%d ONNX nodes, opset %d, %,d bytes%n", onnx.getGraph().getNodeCount(),
                OnnxExporter.OPSET, onnx.getSerializedSize());
        w.flush();
        return 0;
    }

    private static String abbreviate(List<String> labels) {
        return labels.size() <= 12 ? labels.toString()
                : labels.subList(0, 10) + " and " + (labels.size() - 10) + " more";
    }

    /** The network's input, classes and normalization: from --input and --classes, else from the dataset. */
    private ModelCard untrainedCard(Genotype g, FinalSettings settings, SearchConfig config) {
        if (input == null) {
            if (classes != null) {
                throw new IllegalArgumentException("--classes goes with --input; without them the dataset "
                        + config.data().path() + " says both");
            }
            ImageDataset d = Datasets.load(config.data());
            return ModelCard.of(g, settings.stacking(d), d, null);
        }
        String[] hwc = input.toLowerCase(Locale.ROOT).split("x");
        if (hwc.length != 3 || !Arrays.stream(hwc).allMatch(s -> s.matches("[1-9][0-9]*")) || classes == null) {
            throw new IllegalArgumentException("--input '" + input + "' must be HxWxC (say 224x224x3) and come with "
                    + "--classes");
        }
        int h = Integer.parseInt(hwc[0]);
        int wd = Integer.parseInt(hwc[1]);
        int c = Integer.parseInt(hwc[2]);
        io.nasnet.child.Stacking s = settings.stacking(h, wd, c, classes);
        float[] mean = new float[c];
        float[] std = new float[c];
        Arrays.fill(std, 1f);
        return new ModelCard(g.id(), g.text(), s, mean, std,
                IntStream.range(0, classes).mapToObj(Integer::toString).toList(), null);
    }
}
