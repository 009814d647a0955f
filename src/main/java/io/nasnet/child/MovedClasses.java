package io.nasnet.child;

import io.nasnet.child.kernels.Conv2d;
import io.nasnet.child.kernels.DepthwiseConv2d;
import io.nasnet.child.layers.DropPath;
import io.nasnet.child.layers.OutOfPlaceRelu;
import io.nasnet.child.onednn.FactorizedReduction;
import io.nasnet.child.onednn.ReluConvBn;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.deser.DeserializationProblemHandler;
import org.nd4j.shade.jackson.databind.jsontype.TypeIdResolver;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * DL4J writes each layer's class name into a model file. Model files saved before the layers moved
 * into {@code child.layers}, {@code child.kernels} and {@code child.onednn} name them by their old
 * names; this maps those names to the classes they are now, through DL4J's JSON mapper, so every
 * model a release has saved keeps loading. Register it before reading a model (model loading in
 * {@code train} does).
 */
public final class MovedClasses {

    /** Each layer class a released model may name, by the name it had then. */
    static final Map<String, Class<?>> MOVED = Map.of(
            "io.nasnet.child.Conv2d", Conv2d.class,
            "io.nasnet.child.DepthwiseConv2d", DepthwiseConv2d.class,
            "io.nasnet.child.DropPath", DropPath.class,
            "io.nasnet.child.Relu", OutOfPlaceRelu.class,
            "io.nasnet.child.ReluConvBn", ReluConvBn.class,
            "io.nasnet.child.FactorizedReduction", FactorizedReduction.class);

    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private MovedClasses() {
    }

    /** Adds the mapping to DL4J's JSON mapper, once per JVM. */
    public static void register() {
        if (REGISTERED.compareAndSet(false, true)) {
            JsonMappers.getMapper().addHandler(new DeserializationProblemHandler() {
                @Override
                public JavaType handleUnknownTypeId(DeserializationContext ctxt, JavaType baseType, String subTypeId,
                                                    TypeIdResolver idResolver, String failureMsg) {
                    Class<?> now = MOVED.get(subTypeId);
                    return now == null ? null : ctxt.constructType(now);
                }
            });
        }
    }
}
