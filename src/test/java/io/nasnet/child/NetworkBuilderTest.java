package io.nasnet.child;

import io.nasnet.Slow;
import io.nasnet.child.layers.DropPath;
import io.nasnet.child.onednn.FactorizedReduction;
import io.nasnet.child.onednn.FusedOpConf;
import io.nasnet.child.onednn.FusedOpLayer;
import io.nasnet.child.onednn.ReluConvBn;

import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import io.nasnet.space.Presets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NetworkBuilderTest {

    private static final NetworkOptions OPTIONS = NetworkOptions.search(0.05, 0.0, 42);

    private static Complexity count(Stacking s) {
        ComputationGraphConfiguration conf = NetworkBuilder.configuration(Presets.NASNET_A, s, OPTIONS);
        return Complexity.of(conf, InputType.convolutional(s.height(), s.width(), s.channels()));
    }

    @Test
    void nasnetACifarIs3point3MillionParams() {
        Stacking s = Stacking.cifar(6, 32, 32, 32, 3, 10);
        assertThat(s.label()).isEqualTo("6 @ 768");
        assertThat((double) count(s).params()).isCloseTo(3.3e6, within(0.02 * 3.3e6));
    }

    @Test
    void nasnetAMobileIs5point3MillionParamsAnd564MillionMultAdds() {
        Complexity c = count(Stacking.imagenetMobile(1000));
        assertThat((double) c.params()).isCloseTo(5.3e6, within(0.02 * 5.3e6));
        assertThat((double) c.multAdds()).isCloseTo(564e6, within(0.02 * 564e6));
    }

    @Test
    void nasnetALargeIs88point9MillionParams() {
        Complexity c = count(Stacking.imagenetLarge(1000));
        assertThat((double) c.params()).isCloseTo(88.9e6, within(0.02 * 88.9e6));
        assertThat((double) c.multAdds()).isCloseTo(23.8e9, within(0.02 * 23.8e9));
    }

    @Test
    void countMatchesAllocatedNetwork() {
        Stacking s = Stacking.cifar(1, 8, 16, 16, 3, 10);
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, OPTIONS);
        assertThat(net.getLayers()).anyMatch(l -> l.getConfig() instanceof ReluConvBn);
        assertThat(net.getLayers()).anyMatch(l -> l.getConfig() instanceof FactorizedReduction);
        long bnStats = 0;
        for (var l : net.getLayers()) {
            if (l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                bnStats += l.numParams() / 2;
            } else if (l instanceof FusedOpLayer) {
                for (long[] bn : ((FusedOpConf) l.getConfig()).batchNorms()) {
                    bnStats += 2 * bn[1];
                }
            }
        }
        assertThat(count(s).params()).isEqualTo(net.numParams() - bnStats);
    }

    @Test
    void fusedAndSeparateOpsAreTheSameNetwork() {
        Stacking s = Stacking.cifar(1, 8, 16, 16, 3, 10);
        var fused = NetworkBuilder.configuration(Presets.NASNET_A, s, OPTIONS, true);
        var separate = NetworkBuilder.configuration(Presets.NASNET_A, s, OPTIONS, false);
        InputType in = InputType.convolutional(16, 16, 3);
        assertThat(Complexity.of(fused, in)).isEqualTo(Complexity.of(separate, in));
        ComputationGraph a = NetworkBuilder.network(Presets.NASNET_A, s, OPTIONS, true);
        ComputationGraph b = NetworkBuilder.network(Presets.NASNET_A, s, OPTIONS, false);
        assertThat(a.numParams()).isEqualTo(b.numParams());
        assertThat(a.getLayers().length).isLessThan(b.getLayers().length / 2);
    }

    /** Every op, everywhere in a Normal and in a Reduction cell, trains one step with useful gradients. */
    @ParameterizedTest
    @EnumSource(Op.class)
    void everyOpTrainsInNormalAndReductionCells(Op op) {
        String o = op.token();
        Genotype g = Genotype.parse("normal (0 " + o + ", 1 " + o + ", add) (2 " + o + ", 0 " + o + ", concat)"
                + " | reduction (0 " + o + ", 1 " + o + ", add) (2 " + o + ", 1 " + o + ", concat)");
        ComputationGraph net = NetworkBuilder.network(g, Stacking.cifar(1, 4, 8, 8, 3, 3), OPTIONS);
        INDArray x = Tiny.images(4, 3, 8, 1);
        INDArray y = Tiny.labels(4, 3);
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Map<String, INDArray> grads = net.gradient().gradientForVariable();
        assertThat(grads).isNotEmpty();
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            INDArray gr = e.getValue();
            assertThat(gr.isInfinite().any() || gr.isNaN().any()).as("finite gradient of %s", e.getKey()).isFalse();
            if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_var")) {
                continue;
            }
            assertThat(gr.amaxNumber().doubleValue()).as("non-zero gradient of %s", e.getKey()).isGreaterThan(0);
        }
        double before = net.score();
        INDArray paramsBefore = net.params().dup();
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        assertThat(net.params()).isNotEqualTo(paramsBefore);
        assertThat(Double.isFinite(net.score())).isTrue();
        assertThat(before).isPositive();
    }

    @Test
    @Slow
    void randomGenotypesAllBuildWithTheRightOutputShape() {
        Encoding enc = new Encoding(5);
        Random rng = new Random(11);
        INDArray x = Tiny.images(2, 1, 8, 3);
        for (int i = 0; i < 100; i++) {
            Genotype g = enc.random(rng);
            Stacking s = Stacking.cifar(1, 2, 8, 8, 1, 5);
            ComputationGraph net = NetworkBuilder.network(g, s, OPTIONS);
            INDArray out = net.outputSingle(x);
            assertThat(out.shape()).as("output of %s", g).containsExactly(2, 5);
            assertThat(out.sum(1).getDouble(0)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void imagenetStackingRunsAForwardPass() {
        Stacking s = new Stacking(Stacking.Style.IMAGENET, 1, 8, 33, 33, 3, 7, 1.0, false);
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, s, OPTIONS);
        INDArray out = net.outputSingle(Tiny.images(2, 3, 33, 4));
        assertThat(out.shape()).containsExactly(2, 7);
        // stem 33 -> 16, two stem reductions -> 8 -> 4, then 4 -> 2 -> 1
        Map<String, InputType> types = net.getConfiguration().getLayerActivationTypes(InputType.convolutional(33, 33, 3));
        assertThat(((InputType.InputTypeConvolutional) types.get("stem_conv")).getHeight()).isEqualTo(16);
        assertThat(((InputType.InputTypeConvolutional) types.get("n0_out")).getHeight()).isEqualTo(4);
        assertThat(((InputType.InputTypeConvolutional) types.get("n2_out")).getHeight()).isEqualTo(1);
        assertThat(((InputType.InputTypeConvolutional) types.get("n2_out")).getChannels()).isEqualTo(6 * 32);
    }

    @Test
    void filtersDoubleAtEachReductionAndTheNormalCellKeepsTheSize() {
        Stacking s = Stacking.cifar(2, 8, 16, 16, 3, 10);
        ComputationGraphConfiguration conf = NetworkBuilder.configuration(Presets.NASNET_A, s, OPTIONS);
        Map<String, InputType> t = conf.getLayerActivationTypes(InputType.convolutional(16, 16, 3));
        InputType.InputTypeConvolutional n1 = (InputType.InputTypeConvolutional) t.get("n1_out");
        InputType.InputTypeConvolutional r0 = (InputType.InputTypeConvolutional) t.get("r0_out");
        InputType.InputTypeConvolutional n5 = (InputType.InputTypeConvolutional) t.get("n5_out");
        assertThat(new long[]{n1.getChannels(), n1.getHeight()}).containsExactly(6 * 8, 16);
        assertThat(new long[]{r0.getChannels(), r0.getHeight()}).containsExactly(4 * 16, 8);
        assertThat(new long[]{n5.getChannels(), n5.getHeight()}).containsExactly(6 * 32, 4);
    }

    /** dl4j-spark broadcasts the configuration with Spark's Kryo serializer and ND4J's registrator. */
    @Test
    void theConfigurationSurvivesKryoAsDistributedTrainingSendsIt() {
        ComputationGraphConfiguration conf = NetworkBuilder.configuration(Presets.NASNET_A,
                Stacking.cifar(1, 4, 16, 16, 3, 3), OPTIONS.withDropPath(0.6, 1000));
        org.apache.spark.serializer.SerializerInstance kryo = new org.apache.spark.serializer.KryoSerializer(
                new org.apache.spark.SparkConf().set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator"))
                .newInstance();
        scala.reflect.ClassTag<ComputationGraphConfiguration> tag =
                scala.reflect.ClassTag$.MODULE$.apply(ComputationGraphConfiguration.class);
        ComputationGraphConfiguration back = kryo.deserialize(kryo.serialize(conf, tag), tag);
        assertThat(back.toJson()).isEqualTo(conf.toJson());
        assertThat(back.getVertices().values()).anyMatch(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof ReluConvBn);
    }

    @Test
    void finalTrainingOptionsAddScheduledDropPathAndDropout() {
        Stacking s = Stacking.cifar(1, 4, 16, 16, 3, 3);
        ComputationGraphConfiguration conf = NetworkBuilder.configuration(Presets.NASNET_A, s,
                OPTIONS.withDropPath(0.6, 1000).withDropout(0.5));
        java.util.List<DropPath> drops = conf.getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof DropPath)
                .map(v -> (DropPath) ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .toList();
        // NASNet-A: 8 non-identity ops per normal cell x 3, 9 per reduction cell x 2 (identity paths are never dropped)
        assertThat(drops).hasSize(3 * 8 + 2 * 9);
        assertThat(drops).allSatisfy(d -> assertThat(d.getFinalKeepProb()).isEqualTo(0.6));
        // depth ratio grows with the cell: first cell 1/5, last cell 5/5
        assertThat(drops.stream().mapToDouble(DropPath::getDepthRatio).min().orElseThrow()).isCloseTo(0.2, within(1e-9));
        assertThat(drops.stream().mapToDouble(DropPath::getDepthRatio).max().orElseThrow()).isCloseTo(1.0, within(1e-9));
        assertThat(conf.getVertices()).containsKey("dropout");
        assertThat(NetworkBuilder.configuration(Presets.NASNET_A, s, OPTIONS).getVertices()).doesNotContainKey("dropout");
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.fit(new org.nd4j.linalg.dataset.DataSet(Tiny.images(4, 3, 16, 1), Tiny.labels(4, 3)));
        assertThat(Double.isFinite(net.score())).isTrue();
    }

    @Test
    void auxHeadNeedsRoomAndSaysSo() {
        Stacking s = Stacking.cifar(1, 4, 8, 8, 3, 3);
        assertThatThrownBy(() -> NetworkBuilder.configuration(Presets.NASNET_A, s, OPTIONS.withAuxHead(0.4)))
                .hasMessageContaining("at least 5x5");
    }
}
