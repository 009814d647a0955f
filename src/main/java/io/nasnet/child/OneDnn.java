package io.nasnet.child;

import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * DL4J's oneDNN layer helpers, switched on. DL4J 1.0.0-M2.1 ships them off twice over: the system
 * property {@value DL4JSystemProperties#DISABLE_HELPER_PROPERTY} defaults to {@code true}, and its
 * oneDNN check reflects on a class ND4J moved (answered by this project's
 * {@code org.nd4j.nativeblas.Nd4jCpu} bridge). Without the helpers every conv, batch-norm and
 * pooling layer runs DL4J's built-in code and a NASNet child trains at 1-2 images/s. Helpers are
 * chosen when a layer is created, so call {@link #install()} before building or restoring a network.
 */
public final class OneDnn {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private OneDnn() {
    }

    /**
     * Allows DL4J's helpers unless the user set {@value DL4JSystemProperties#DISABLE_HELPER_PROPERTY}
     * explicitly, and warns once if the CPU backend still runs without oneDNN.
     */
    public static void install() {
        if (System.getProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY) == null) {
            System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "false");
        }
        if (isCpuBackend() && !enabled() && WARNED.compareAndSet(false, true)) {
            LOG.warn("DL4J's oneDNN helpers are off: children will train 20-30x slower. Use nd4j-native's "
                    + "linux-x86_64-onednn-avx2 build, keep org.nd4j.nativeblas.Nd4jCpu on the classpath and leave "
                    + DL4JSystemProperties.DISABLE_HELPER_PROPERTY + " unset.");
        }
    }

    /** True on the CPU backend when layers created now get DL4J's oneDNN helpers. */
    public static boolean enabled() {
        return isCpuBackend()
                && !Boolean.parseBoolean(System.getProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY,
                DL4JSystemProperties.HELPER_DISABLE_DEFAULT_VALUE))
                && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** The initialized graph of {@code conf}, its layers created with this project's helpers. */
    public static ComputationGraph graph(ComputationGraphConfiguration conf) {
        install();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        fitHelpers(net);
        return net;
    }

    /**
     * Fits the helpers DL4J chose to what serves this project's networks best: removes the oneDNN
     * helper from layers it cannot serve (dilated convolutions: oneDNN refuses to create the
     * primitive, and DL4J would log the failure before falling back), and gives every batch-norm
     * layer a {@link BatchNormHelper} in place of DL4J's. Call after {@code init()} or a restore.
     */
    public static void fitHelpers(ComputationGraph net) {
        boolean helpers = enabled();
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv
                    && (conv.layerConf().getDilation()[0] > 1 || conv.layerConf().getDilation()[1] > 1)) {
                setHelper(ConvolutionLayer.class, conv, null);
            } else if (helpers && layer instanceof BatchNormalization bn) {
                setHelper(BatchNormalization.class, bn, new BatchNormHelper());
            }
        }
    }

    private static void setHelper(Class<?> type, Layer layer, Object helper) {
        try {
            Field field = type.getDeclaredField("helper");
            field.setAccessible(true);
            field.set(layer, helper);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J's " + type.getSimpleName() + " has no 'helper' field any more", e);
        }
    }

    /**
     * Runs the calling thread's work (a Spark task, a benchmark's child) on {@code n} threads: ND4J's
     * own loops and OpenMP, whose thread count oneDNN follows in both its copies (ND4J's and JavaCPP's
     * share one OpenMP runtime). OpenMP's count belongs to the calling thread, so concurrent children
     * each set their own; without this every child's oneDNN calls take all cores, and two children on
     * two cores trained at 47 images/s together instead of 107.
     */
    public static void useThreads(int n) {
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    }

    /** OpenMP's thread count for the calling thread's next parallel region. */
    static int ompThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    public static boolean isCpuBackend() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }
}
