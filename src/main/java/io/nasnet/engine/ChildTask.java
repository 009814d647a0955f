package io.nasnet.engine;

import io.nasnet.child.ChildSpec;
import org.apache.commons.io.input.ClassLoaderObjectInputStream;
import org.apache.commons.lang3.SerializationUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * What an executor needs for one child: the spec, the search's bookkeeping for its row, and, when
 * the search trains in rungs, the rung to train it to. Sent
 * to executors as Java-serialized bytes, whatever {@code spark.serializer} is: Kryo, which
 * dl4j-spark jobs configure, cannot serialize records.
 */
public record ChildTask(ChildSpec spec, String archId, String strategy, double logProb, String parentArchId,
                        String budget, String configHash, Rung rung) implements Serializable {

    /**
     * Training up to rung {@code index} of {@code rungs} (successive halving, {@code eta}): from the
     * state the rung below saved in {@code stateDir} (a qualified Hadoop path), saving its own there
     * unless it is the last; the rung's row is kept there too, so a task run again returns it
     * instead of training again.
     */
    public record Rung(int index, int rungs, int eta, String stateDir) implements Serializable {
    }

    /** The same child at another rung. */
    public ChildTask at(Rung r) {
        return new ChildTask(spec, archId, strategy, logProb, parentArchId, budget, configHash, r);
    }

    public byte[] toBytes() {
        return SerializationUtils.serialize(this);
    }

    /** On an executor: read with the task's class loader, which holds the application jar. */
    public static ChildTask fromBytes(byte[] bytes) {
        try (ObjectInputStream in = new ClassLoaderObjectInputStream(Thread.currentThread().getContextClassLoader(),
                new ByteArrayInputStream(bytes))) {
            return (ChildTask) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read a child task: " + e.getMessage(), e);
        }
    }
}
