package io.nasnet.search;

import io.nasnet.child.ChildSpec;
import org.apache.commons.io.input.ClassLoaderObjectInputStream;
import org.apache.commons.lang3.SerializationUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * What an executor needs for one child: the spec and the search's bookkeeping for its row. Sent
 * to executors as Java-serialized bytes, whatever {@code spark.serializer} is: Kryo, which
 * dl4j-spark jobs configure, cannot serialize records.
 */
public record ChildTask(ChildSpec spec, String archId, String strategy, double logProb, String parentArchId,
                        String budget, String configHash) implements Serializable {

    byte[] toBytes() {
        return SerializationUtils.serialize(this);
    }

    /** On an executor: read with the task's class loader, which holds the application jar. */
    static ChildTask fromBytes(byte[] bytes) {
        try (ObjectInputStream in = new ClassLoaderObjectInputStream(Thread.currentThread().getContextClassLoader(),
                new ByteArrayInputStream(bytes))) {
            return (ChildTask) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read a child task: " + e.getMessage(), e);
        }
    }
}
