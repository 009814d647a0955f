package io.nasnet.child.onednn;

import io.nasnet.child.layers.Conv;



import java.util.ArrayList;
import java.util.List;

/**
 * A NASNet op as one layer: ReLU, one or more convolutions (SAME padding, no bias), batch
 * normalization; a stage, and a separable convolution op is two of them (depthwise k x k then 1x1,
 * twice, only the first strided). The other ops with weights are one stage of a single convolution
 * (1x1, 3x3, dilated 3x3) or of a 1xk then a kx1. As DL4J layers, every
 * oneDNN call converts its input and output between ND4J's NCHW arrays and oneDNN's channels-last or
 * blocked layouts, about half of an op's time; this layer runs the whole chain on oneDNN in
 * channels-last ({@link ReluConvBnPlan}), converting once on the way in and once out, and takes
 * batch-norm statistics and gradients from oneDNN's own kernels.
 *
 * <p>Needs oneDNN (JavaCPP's {@code dnnl} preset) and float activations: {@link FusedOpConf#available()} says
 * whether this machine has it (switching DL4J's helpers off switches it off too, for DL4J's own
 * kernels everywhere); {@code NetworkBuilder} builds separate layers otherwise. Parameters: see
 * {@link FusedOpParams}; the running mean and variance are updated as DL4J's
 * {@code BatchNormalization} does (by a "gradient" of {@code (1 - decay) * (running - batch)} with no
 * updater), weight decay applies to the kernels only.
 */
public class ReluConvBn extends FusedOpConf {

    private List<Conv> convs = new ArrayList<>();
    /** How many convolutions each stage (ReLU, convolutions, BN) has, in order. */
    private List<Integer> stages = new ArrayList<>();

    /** For DL4J's JSON configuration. */
    public ReluConvBn() {
        super(new Builder());
    }

    private ReluConvBn(Builder b) {
        super(b);
        // mutable lists: Kryo (dl4j-spark broadcasts the configuration with it) rebuilds a list by adding to it
        this.convs = new ArrayList<>(b.convs);
        this.stages = new ArrayList<>(b.stages);
        this.nOut = b.convs.get(b.convs.size() - 1).getNOut();
    }

    /** Channels entering convolution {@code i}. */
    public long channelsInto(int i) {
        return i == 0 ? nIn : convs.get(i - 1).getNOut();
    }

    @Override
    OneDnnPlan newPlan(long[] shape, boolean training) {
        return new ReluConvBnPlan(this, shape, training);
    }

    /** NCHW shapes of the input {@code shape} and of each convolution's output, in order. */
    long[][] shapes(long[] shape) {
        long[][] shapes = new long[convs.size() + 1][];
        shapes[0] = shape.clone();
        for (int i = 0; i < convs.size(); i++) {
            Conv c = convs.get(i);
            long[] in = shapes[i];
            shapes[i + 1] = new long[]{in[0], c.getNOut(), (in[2] + c.getStrideH() - 1) / c.getStrideH(),
                    (in[3] + c.getStrideW() - 1) / c.getStrideW()};
        }
        return shapes;
    }

    @Override
    public long[] outputSize(long h, long w) {
        long[] out = shapes(new long[]{1, nIn, h, w})[convs.size()];
        return new long[]{out[2], out[3]};
    }

    /** {@code [C, 1, 1, kh, kw]} for a depthwise convolution, {@code [nOut, C, kh, kw]} otherwise. */
    @Override
    public List<long[]> kernelShapes() {
        List<long[]> shapes = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            Conv c = convs.get(i);
            long in = channelsInto(i);
            shapes.add(c.isDepthwise() ? new long[]{in, 1, 1, c.getKernelH(), c.getKernelW()}
                    : new long[]{c.getNOut(), in, c.getKernelH(), c.getKernelW()});
        }
        return shapes;
    }

    /** Per stage: its convolutions and the channels of its batch norm (its last convolution's). */
    @Override
    public List<long[]> batchNorms() {
        List<long[]> out = new ArrayList<>();
        int end = 0;
        for (int n : stages) {
            end += n;
            out.add(new long[]{n, convs.get(end - 1).getNOut()});
        }
        return out;
    }

    @Override
    public double[] fans(int i) {
        Conv c = convs.get(i);
        double area = (double) c.getKernelH() * c.getKernelW();
        return new double[]{channelsInto(i) * area,
                (c.isDepthwise() ? 1 : c.getNOut()) * area / ((double) c.getStrideH() * c.getStrideW())};
    }

    public List<Conv> getConvs() {
        return convs;
    }

    public void setConvs(List<Conv> convs) {
        this.convs = convs;
    }

    public List<Integer> getStages() {
        return stages;
    }

    public void setStages(List<Integer> stages) {
        this.stages = stages;
    }


    /**
     * Builds a {@link ReluConvBn} of one or more stages, each a ReLU, its convolutions and a batch
     * norm (a whole separable convolution op is two); the last convolution's {@code nOut} is the layer's.
     */
    public static final class Builder extends FusedOpConf.Builder<Builder> {

        private final List<Conv> convs = new ArrayList<>();
        private final List<Integer> stages = new ArrayList<>();

        /** A stage: ReLU, these convolutions in order, batch norm. */
        public Builder stage(Conv... stageConvs) {
            if (stageConvs.length == 0) {
                throw new IllegalArgumentException("a stage needs at least one convolution");
            }
            convs.addAll(List.of(stageConvs));
            stages.add(stageConvs.length);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public ReluConvBn build() {
            if (convs.isEmpty()) {
                throw new IllegalArgumentException("a ReLU-conv-BN layer needs at least one convolution");
            }
            for (Conv c : convs) {
                if (c.getKernelH() < 1 || c.getKernelW() < 1 || c.getKernelH() % 2 == 0 || c.getKernelW() % 2 == 0) {
                    throw new IllegalArgumentException("convolution kernels must be odd and positive, got "
                            + c.getKernelH() + "x" + c.getKernelW());
                }
                if (c.getStrideH() < 1 || c.getStrideW() < 1 || c.getDilation() < 1 || c.getNOut() < 1) {
                    throw new IllegalArgumentException("convolution strides, dilation and filters must be positive");
                }
            }
            return new ReluConvBn(this);
        }
    }
}
