package io.nasnet.child.runtime;



import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * DL4J's oneDNN layer helpers, switched on. DL4J 1.0.0-M2.1 ships them off twice over: the system
 * property {@value DL4JSystemProperties#DISABLE_HELPER_PROPERTY} defaults to {@code true}, and its
 * oneDNN check reflects on a class ND4J moved (answered by this project's
 * {@code org.nd4j.nativeblas.Nd4jCpu} bridge). Without the helpers every conv, batch-norm and
 * pooling layer runs DL4J's built-in code and a NASNet child trains at 1-2 images/s. Helpers are
 * chosen when a layer is created, so call {@link #install()} before building or restoring a network
 * ({@code kernels.LayerHelpers} does). Also the thread count of the calling thread's native work.
 */
public final class Dl4jRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jRuntime.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Dl4jRuntime() {
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
    public static int ompThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    public static boolean isCpuBackend() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }
}
