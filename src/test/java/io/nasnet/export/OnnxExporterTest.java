package io.nasnet.export;

import io.nasnet.Slow;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.space.Block;
import io.nasnet.space.Cell;
import io.nasnet.space.Combine;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import io.nasnet.space.Presets;
import io.nasnet.train.ModelCard;
import io.nasnet.train.TrainCheckpoints;
import onnx.Onnx.ModelProto;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exported models run in ONNX Runtime and give DL4J's probabilities to within 1e-4, for NASNet-A in
 * both stackings, for random genotypes covering the whole search space, in both layer forms (one
 * oneDNN layer per op, and separate DL4J layers), with batch-norm statistics that are not their
 * initial values.
 */
class OnnxExporterTest {

    static final double TOLERANCE = 1e-4;

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @AfterAll
    static void release() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    @Test
    void nasnetAInTheCifarStackingOneAt48InBothLayerForms() throws OrtException {
        Stacking s = Stacking.cifar(1, 2, 32, 32, 3, 10);
        // drop path, dropout and the auxiliary head are in the network, and left out of the export
        NetworkOptions o = NetworkOptions.search(0.05, 5e-4, 1).withDropPath(0.6, 100).withDropout(0.5).withAuxHead(0.4);
        for (boolean fused : new boolean[]{true, false}) {
            ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, o, fused);
            perturb(net, 1);
            ModelProto m = OnnxExporter.export(net, card(Presets.NASNET_A, s));
            assertThat(m.getGraph().getNodeList()).noneMatch(n -> n.getName().startsWith("aux"));
            assertMatches(net, m, input(3, s, 2));
            net.clear();
        }
    }

    @Test
    void nasnetAInTheMobileImageNetStackingAt224() throws OrtException {
        Stacking s = Stacking.imagenetMobile(10);
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, NetworkOptions.search(0.05, 5e-4, 2));
        perturb(net, 2);
        ModelProto m = OnnxExporter.export(net, card(Presets.NASNET_A, s));
        assertMatches(net, m, input(1, s, 3));
        net.clear();
    }

    @Test
    @Slow
    void twentyRandomGenotypesAtOddSizesCoveringEveryOpAndBothCombines() throws OrtException {
        Encoding encoding = new Encoding(5);
        SplittableRandom rng = new SplittableRandom(19);
        int[][] sizes = {{9, 11, 1}, {13, 7, 3}, {11, 11, 3}, {7, 9, 1}, {15, 13, 3}};
        Set<Op> ops = EnumSet.noneOf(Op.class);
        Set<Combine> combines = EnumSet.noneOf(Combine.class);
        for (int i = 0; i < 20; i++) {
            Genotype g = encoding.random(rng);
            for (Cell cell : List.of(g.normal(), g.reduction())) {
                for (Block b : cell.blocks()) {
                    ops.add(b.op1());
                    ops.add(b.op2());
                    combines.add(b.combine());
                }
            }
            int[] hwc = sizes[i % sizes.length];
            Stacking s = Stacking.cifar(1, 2 + 2 * (i % 2), hwc[0], hwc[1], hwc[2], 3 + i % 5);
            ComputationGraph net = NetworkBuilder.network(g, s, NetworkOptions.search(0.05, 5e-4, i), i % 2 == 0);
            perturb(net, i);
            assertMatches(net, OnnxExporter.export(net, card(g, s)), input(2, s, i));
            net.clear();
        }
        assertThat(ops).containsExactlyInAnyOrder(Op.values());
        assertThat(combines).containsExactlyInAnyOrder(Combine.values());
    }

    @Test
    void modelFilesSavedByAnEarlierReleaseInBothLayerForms() throws Exception {
        Configuration hadoop = new Configuration();
        Stacking s = Stacking.cifar(1, 4, 28, 28, 1, 10);
        for (String name : List.of("nasnet-a-fused", "nasnet-a-separate")) {
            java.nio.file.Path file = java.nio.file.Path.of(getClass().getResource("/models/0.1.0/" + name + ".zip").toURI());
            ComputationGraph net = TrainCheckpoints.load(new org.apache.hadoop.fs.Path(file.toUri()), hadoop);
            assertMatches(net, OnnxExporter.export(net, card(Presets.NASNET_A, s)), input(4, s, 5));
            net.clear();
        }
    }

    @Test
    void theCardIsInTheMetadataAndTheInputAndOutputAreNamed() throws OrtException {
        Stacking s = Stacking.cifar(1, 2, 8, 8, 1, 3);
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, NetworkOptions.search(0.05, 5e-4, 1));
        ModelCard card = new ModelCard(Presets.NASNET_A.id(), Presets.NASNET_A.text(), s, new float[]{0.25f},
                new float[]{0.5f}, List.of("cat", "dog", "bird"), "pets",
                new io.nasnet.train.Provenance("night-1", "FinalSettings[epochs=2]", "abc123", 7, "0.2.0", "1234abcd"));
        ModelProto m = OnnxExporter.export(net, card);
        assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(OnnxExporter.OPSET);
        try (OrtSession session = ENV.createSession(m.toByteArray(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertThat(meta).containsEntry("nasnet.arch_id", Presets.NASNET_A.id())
                    .containsEntry("nasnet.genotype", Presets.NASNET_A.text())
                    .containsEntry("nasnet.labels", "cat\ndog\nbird")
                    .containsEntry("nasnet.mean", "0.25").containsEntry("nasnet.std", "0.5")
                    .containsEntry("nasnet.stacking", "cifar 1 @ 48")
                    .containsEntry("nasnet.dataset", "pets")
                    .containsEntry("nasnet.search_id", "night-1").containsEntry("nasnet.recipe", "FinalSettings[epochs=2]")
                    .containsEntry("nasnet.data_checksum", "abc123").containsEntry("nasnet.seed", "7")
                    .containsEntry("nasnet.version", "0.2.0").containsEntry("nasnet.commit", "1234abcd");
            assertThat(meta.get("nasnet.normalization")).contains("(pixel / 255 - mean[c]) / std[c]");
            assertThat(session.getInputNames()).containsExactly(OnnxExporter.INPUT);
            assertThat(session.getOutputNames()).containsExactly(OnnxExporter.OUTPUT);
            assertThat(session.getInputInfo().get(OnnxExporter.INPUT).getInfo().toString()).contains("shape=[-1, 1, 8, 8]");
        }
        net.clear();
    }

    @Test
    void aLayerTheExporterDoesNotKnowFailsNamingIt() {
        ComputationGraph net = HandMadeNetworks.withSeparableConvolution(3);
        Stacking s = Stacking.cifar(1, 2, 8, 8, 1, 3);
        assertThatThrownBy(() -> OnnxExporter.export(net, card(Presets.NASNET_A, s)))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("'sep'").hasMessageContaining(SeparableConvolution2D.class.getName());
    }

    /** Every batch norm's statistics and scale set to random values, as after training. */
    static void perturb(ComputationGraph net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer layer : net.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String key = p.getKey();
                INDArray v = p.getValue();
                for (long i = 0; i < v.length(); i++) {
                    double x;
                    if (key.startsWith("var")) {
                        x = rng.nextDouble(0.3, 2.0);
                    } else if (key.startsWith("log10stdev")) {
                        x = rng.nextDouble(-0.25, 0.25);
                    } else if (key.startsWith("mean") || key.startsWith("beta")) {
                        x = rng.nextDouble(-0.5, 0.5);
                    } else if (key.startsWith("gamma")) {
                        x = rng.nextDouble(0.5, 1.5);
                    } else {
                        continue;
                    }
                    v.putScalar(i, x);
                }
            }
        }
    }

    static ModelCard card(Genotype g, Stacking s) {
        float[] mean = new float[s.channels()];
        float[] std = new float[s.channels()];
        java.util.Arrays.fill(std, 1f);
        return new ModelCard(g.id(), g.text(), s, mean, std,
                IntStream.range(0, s.classes()).mapToObj(Integer::toString).toList(), "test");
    }

    static INDArray input(int batch, Stacking s, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, batch, s.channels(), s.height(), s.width());
    }

    /** ONNX Runtime's probabilities for {@code x}. */
    static float[][] run(ModelProto model, INDArray x) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x.dup('c').data().asFloat()), x.shape());
             OrtSession.Result out = session.run(Map.of(OnnxExporter.INPUT, in))) {
            return (float[][]) out.get(0).getValue();
        }
    }

    static void assertMatches(ComputationGraph net, ModelProto model, INDArray x) throws OrtException {
        INDArray expected = net.output(false, x)[0];
        float[][] actual = run(model, x);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < actual[i].length; j++) {
                worst = Math.max(worst, Math.abs(actual[i][j] - expected.getDouble(i, j)));
            }
        }
        assertThat(actual).hasNumberOfRows((int) expected.rows());
        assertThat(actual[0]).hasSize((int) expected.columns());
        System.out.printf(java.util.Locale.ROOT, "ONNX Runtime vs DL4J, %s: max abs probability difference %.2e%n",
                model.getGraph().getName(), worst);
        assertThat(worst).as("max abs difference of the probabilities").isLessThan(TOLERANCE);
    }
}
