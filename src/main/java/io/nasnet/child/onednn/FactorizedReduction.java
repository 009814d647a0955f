package io.nasnet.child.onednn;


import java.util.List;

/**
 * TF-slim's factorized reduction as one layer: optionally ReLU, then two 1x1 stride-2 convolutions,
 * the second on the input shifted by one pixel up and left (zeros entering at the bottom and right),
 * their outputs concatenated ({@code nOut / 2} channels from the first, the rest from the second),
 * batch normalization. It halves a state that is to meet one of half its size. As DL4J layers it is
 * a padding, a crop, two convolutions, a merge and a batch norm, with oneDNN converting layouts around
 * each convolution of a large input; here it runs on oneDNN in channels-last throughout
 * ({@link FactorizedReductionPlan}). Needs what {@link ReluConvBn} needs.
 */
public class FactorizedReduction extends FusedOpConf {

    private boolean relu = true;

    /** For DL4J's JSON configuration. */
    public FactorizedReduction() {
        super(new Builder());
    }

    private FactorizedReduction(Builder b) {
        super(b);
        this.relu = b.relu;
    }

    @Override
    OneDnnPlan newPlan(long[] shape, boolean training) {
        return new FactorizedReductionPlan(this, shape, training);
    }

    /** Channels of the first path; the second has the rest. */
    long firstPath() {
        return nOut / 2;
    }

    @Override
    public long[] outputSize(long h, long w) {
        return new long[]{(h - 1) / 2 + 1, (w - 1) / 2 + 1};
    }

    /** The two 1x1 kernels, {@code [nOut / 2, C, 1, 1]} and {@code [nOut - nOut / 2, C, 1, 1]}. */
    @Override
    public List<long[]> kernelShapes() {
        return List.of(new long[]{firstPath(), nIn, 1, 1}, new long[]{nOut - firstPath(), nIn, 1, 1});
    }

    @Override
    public double[] fans(int i) {
        return new double[]{nIn, kernelShapes().get(i)[0] / 4.0};
    }

    @Override
    public List<long[]> batchNorms() {
        return List.of(new long[]{2, nOut});
    }

    public boolean isRelu() {
        return relu;
    }

    public void setRelu(boolean relu) {
        this.relu = relu;
    }

    /** Builds a {@link FactorizedReduction} of {@code nOut} channels, with a ReLU first unless told otherwise. */
    public static final class Builder extends FusedOpConf.Builder<Builder> {

        private boolean relu = true;

        public Builder relu(boolean r) {
            this.relu = r;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FactorizedReduction build() {
            if (nOut < 2) {
                throw new IllegalArgumentException("a factorized reduction needs at least 2 output channels, got " + nOut);
            }
            return new FactorizedReduction(this);
        }
    }
}
