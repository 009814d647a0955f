package io.nasnet.child;

import org.deeplearning4j.nn.weights.IWeightInit;

import java.util.List;

/**
 * What the oneDNN layers ({@link ReluConvBn}, {@link FactorizedReduction}) tell
 * {@link FusedOpParams} about their parameters: convolution kernels, then batch normalization of
 * {@code nOut} channels.
 */
interface FusedOp {

    /** Shape of each kernel, in the order of the parameters. */
    List<long[]> kernelShapes();

    /** DL4J's fan-in and fan-out of kernel {@code i}, for the weight init. */
    double[] fans(int i);

    long getNOut();

    IWeightInit getWeightInitFn();

    double getEps();

    double getDecay();
}
