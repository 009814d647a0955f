package io.nasnet.child;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny inputs and one-hot labels for network tests. */
public final class Tiny {
    private Tiny() {
    }

    public static INDArray images(int batch, int channels, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, batch, channels, size, size).subi(0.5);
    }

    public static INDArray labels(int batch, int classes) {
        return labels(batch, classes, DataType.FLOAT);
    }

    /** Example i is of class i mod classes. */
    public static INDArray labels(int batch, int classes, DataType type) {
        INDArray y = Nd4j.zeros(type, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }
}
