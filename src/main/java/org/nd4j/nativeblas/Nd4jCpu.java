package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Bridge for DL4J 1.0.0-M2.1's oneDNN check. {@code BaseMKLDNNHelper.mklDnnEnabled()} reflects on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}, a class ND4J moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} (method {@code isUseONEDNN}).
 * The failed lookup makes DL4J drop its oneDNN helpers from every conv, batch-norm and pooling
 * layer, which then train 20-30x slower. This class answers the old lookup from the moved one, so
 * DL4J's own {@code HelperUtils} installs the helpers wherever layers are created: new networks,
 * restored models and networks built on Spark executors. See {@code io.nasnet.child.runtime.Dl4jRuntime}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The one method DL4J calls, delegated to ND4J's current environment. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final Method IS_USE_ONEDNN;
        private static final Object NATIVE_ENVIRONMENT;

        static {
            Method method = null;
            Object environment = null;
            try {
                Class<?> moved = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                environment = moved.getMethod("getInstance").invoke(null);
                method = moved.getMethod("isUseONEDNN");
            } catch (ReflectiveOperationException | LinkageError e) {
                // not the CPU backend: DL4J then never asks
            }
            IS_USE_ONEDNN = method;
            NATIVE_ENVIRONMENT = environment;
        }

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether ND4J's native build has oneDNN and uses it. */
        public boolean isUseMKLDNN() {
            if (IS_USE_ONEDNN == null) {
                return false;
            }
            try {
                return (boolean) IS_USE_ONEDNN.invoke(NATIVE_ENVIRONMENT);
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }
    }
}
