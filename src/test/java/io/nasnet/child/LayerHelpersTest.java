package io.nasnet.child;

import io.nasnet.child.kernels.BatchNormHelper;
import io.nasnet.child.onednn.FusedOpConf;
import io.nasnet.child.onednn.FusedOpLayer;
import io.nasnet.child.runtime.Dl4jRuntime;

import io.nasnet.space.Presets;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LayerHelpersTest {

    private static Object helper(Layer layer) throws ReflectiveOperationException {
        Class<?> c = layer.getClass();
        while (c != null) {
            try {
                Field f = c.getDeclaredField("helper");
                f.setAccessible(true);
                return f.get(layer);
            } catch (NoSuchFieldException e) {
                c = c.getSuperclass();
            }
        }
        return null;
    }

    @Test
    void oneDnnIsOnInTheNativeBuild() {
        assertThat(Dl4jRuntime.isCpuBackend()).isTrue();
        assertThat(org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN()).isTrue();
        Dl4jRuntime.install();
        assertThat(Dl4jRuntime.enabled()).isTrue();
    }

    @Test
    void threadsAreSetPerCallingThread() throws Exception {
        int all = Dl4jRuntime.ompThreads();
        int[] seen = new int[1];
        Thread child = new Thread(() -> {
            Dl4jRuntime.useThreads(1);
            seen[0] = Dl4jRuntime.ompThreads();
        });
        child.start();
        child.join();
        assertThat(seen[0]).isEqualTo(1);
        assertThat(Dl4jRuntime.ompThreads()).isEqualTo(all); // another task's threads are its own
    }

    @Test
    void withoutTheBridgeDl4jsOwnCheckFails() {
        // The class DL4J M2.1 looks for is this project's bridge, not ND4J's: without it, no helpers.
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).doesNotContain("nd4j-native");
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN()).isTrue();
    }

    @Test
    void opsAreFusedAndTheStemAndPoolingLayersGetFastHelpers() throws Exception {
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, Stacking.cifar(1, 4, 8, 8, 3, 3),
                NetworkOptions.search(0.01, 0, 1));
        assertThat(FusedOpConf.available()).isTrue();
        int fused = 0;
        int conv = 0;
        int bn = 0;
        int pool = 0;
        for (Layer l : net.getLayers()) {
            Object h = helper(l);
            if (l instanceof FusedOpLayer) {
                fused++;
            } else if (l instanceof ConvolutionLayer && !(l instanceof org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer)) {
                assertThat(h).as(l.getConfig().getLayerName()).isInstanceOf(MKLDNNConvHelper.class);
                conv++;
            } else if (l instanceof BatchNormalization) {
                assertThat(h).as(l.getConfig().getLayerName()).isInstanceOf(BatchNormHelper.class);
                bn++;
            } else if (l instanceof SubsamplingLayer) {
                assertThat(h).as(l.getConfig().getLayerName()).isInstanceOf(MKLDNNSubsamplingHelper.class);
                pool++;
            }
        }
        // every op with weights and every factorized reduction is fused; the stem stays DL4J's
        assertThat(fused).isGreaterThan(30);
        assertThat(conv).isEqualTo(1);
        assertThat(bn).isEqualTo(1);
        assertThat(pool).isGreaterThan(2);
    }

    @Test
    void separateLayersGetFastHelpers() throws Exception {
        ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, Stacking.cifar(1, 4, 8, 8, 3, 3),
                NetworkOptions.search(0.01, 0, 1), false);
        int conv = 0;
        int bn = 0;
        for (Layer l : net.getLayers()) {
            assertThat(l).isNotInstanceOf(FusedOpLayer.class);
            if (l instanceof ConvolutionLayer && !(l instanceof org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer)) {
                assertThat(helper(l)).as(l.getConfig().getLayerName()).isInstanceOf(MKLDNNConvHelper.class);
                conv++;
            } else if (l instanceof BatchNormalization) {
                assertThat(helper(l)).as(l.getConfig().getLayerName()).isInstanceOf(BatchNormHelper.class);
                bn++;
            }
        }
        assertThat(conv).isGreaterThan(10);
        assertThat(bn).isGreaterThan(10);
    }

    @Test
    void dilatedConvolutionsRunWithoutTheHelperOneDnnRejects() throws Exception {
        var g = io.nasnet.space.Genotype.parse("normal (0 dil3x3, 1 conv3x3) | reduction (0 dil3x3, 1 max3x3)");
        ComputationGraph net = NetworkBuilder.network(g, Stacking.cifar(1, 4, 8, 8, 3, 3), NetworkOptions.search(0.01, 0, 1),
                false);
        int dilated = 0;
        for (Layer l : net.getLayers()) {
            if (l instanceof ConvolutionLayer c && c.layerConf().getDilation()[0] > 1) {
                assertThat(helper(l)).as(l.getConfig().getLayerName()).isNull();
                dilated++;
            } else if (l instanceof ConvolutionLayer && !(l instanceof org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer)) {
                assertThat(helper(l)).isInstanceOf(MKLDNNConvHelper.class);
            }
        }
        assertThat(dilated).isEqualTo(5);   // one per cell: 3 normal + 2 reduction
        assertThat(net.outputSingle(Tiny.images(2, 3, 8, 1)).shape()).containsExactly(2, 3);
    }

    @Test
    void helpersGiveTheSameOutputsAndGradientsAsDl4jsBuiltInLayers() {
        Stacking s = Stacking.cifar(1, 4, 8, 8, 3, 3);
        NetworkOptions o = NetworkOptions.search(0.01, 0, 1);
        ComputationGraph fast = NetworkBuilder.network(Presets.NASNET_A, s, o, false);
        ComputationGraph plain;
        System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "true");
        try {
            assertThat(FusedOpConf.available()).as("oneDNN off for DL4J's helpers is off for fused ops too").isFalse();
            plain = NetworkBuilder.network(Presets.NASNET_A, s, o, false);
            assertThat(Dl4jRuntime.enabled()).isFalse();
        } finally {
            System.clearProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY);
            Dl4jRuntime.install();
        }
        plain.setParams(fast.params().dup());
        INDArray x = Tiny.images(4, 3, 8, 2);
        INDArray y = Tiny.labels(4, 3);
        INDArray a = fast.outputSingle(true, x);
        INDArray b = plain.outputSingle(true, x);
        assertThat(a.sub(b).amaxNumber().doubleValue()).isLessThan(1e-4);

        fast.setInputs(x);
        fast.setLabels(y);
        fast.computeGradientAndScore();
        plain.setInputs(x);
        plain.setLabels(y);
        plain.computeGradientAndScore();
        Map<String, INDArray> gf = fast.gradient().gradientForVariable();
        Map<String, INDArray> gp = plain.gradient().gradientForVariable();
        for (String k : gf.keySet()) {
            double scale = Math.max(1e-3, gp.get(k).amaxNumber().doubleValue());
            assertThat(gf.get(k).sub(gp.get(k)).amaxNumber().doubleValue() / scale).as(k).isLessThan(1e-2);
        }
    }
}
