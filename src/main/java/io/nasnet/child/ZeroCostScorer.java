package io.nasnet.child;

import io.nasnet.child.kernels.LayerHelpers;
import io.nasnet.child.layers.OutOfPlaceRelu;
import io.nasnet.data.Batches;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Genotype;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * Computes an architecture's {@link ZeroCost} scores on its untrained network: what a search can
 * rank cells by before training any (the scores' definitions are on {@link ZeroCost}). Every score
 * is computed on a network of its own, built with the child's seed and separate (unfused) op layers
 * so that each ReLU is a layer of its own; the child's training never sees it.
 */
public final class ZeroCostScorer {

    private ZeroCostScorer() {
    }

    /**
     * The scores of {@code genotype} stacked as {@code stacking} on the first {@code images} training
     * images of {@code data}, in order and without augmentation (no draw from any training's generator).
     */
    public static ZeroCost score(Genotype genotype, Stacking stacking, long seed, ImageDataset data, int images) {
        int n = Math.min(images, data.train().size());
        int[] first = java.util.stream.IntStream.range(0, n).toArray();
        Batches.Batch batch = new Batches(data, 0, false).batch(data.train(), first, 0, n, null);
        return score(genotype, stacking, seed, batch.features(), batch.labels());
    }

    /** The three scores of {@code genotype} stacked as {@code stacking}, on one minibatch of real images. */
    public static ZeroCost score(Genotype genotype, Stacking stacking, long seed, INDArray images, INDArray labels) {
        long start = System.nanoTime();
        NetworkOptions options = NetworkOptions.search(0.1, 0, seed);
        ComputationGraphConfiguration conf = NetworkBuilder.configuration(genotype, stacking, options, false);
        ComputationGraph net = LayerHelpers.graph(conf);
        double naswot;
        double gradNorm;
        try {
            naswot = naswot(net, images);
            gradNorm = gradNorm(net, images, labels);
        } finally {
            net.clear();
        }
        double synflow = synflow(NetworkBuilder.configuration(genotype, stacking, options, false), images);
        return new ZeroCost(naswot, synflow, gradNorm, (System.nanoTime() - start) / 1e9);
    }

    /**
     * NASWOT: log|K|, K[i][j] the number of ReLU units whose on/off state agrees for images i and j
     * (training-mode forward pass; a singular kernel scores negative infinity).
     */
    public static double naswot(ComputationGraph net, INDArray images) {
        int b = (int) images.size(0);
        INDArray k = Nd4j.zeros(DataType.DOUBLE, b, b);
        Map<String, INDArray> acts = net.feedForward(new INDArray[]{images}, true, false);
        for (Map.Entry<String, INDArray> e : acts.entrySet()) {
            if (!isRelu(net.getConfiguration().getVertices().get(e.getKey()))) {
                continue;
            }
            // agreements = both on + both off = 2 C C^T - r 1^T - 1 r^T + units, r the units on per image;
            // one product, in float: its entries are counts below 2^24, exact
            INDArray on = e.getValue().reshape(b, -1).gt(0).castTo(DataType.FLOAT);
            long units = on.size(1);
            INDArray both = on.mmul(on.transpose()).castTo(DataType.DOUBLE).muli(2);
            INDArray r = on.sum(1).castTo(DataType.DOUBLE).reshape(b, 1);
            k.addi(both.subiColumnVector(r).subiRowVector(r.reshape(1, b)).addi(units));
        }
        return logDet(k.toDoubleMatrix());
    }

    /** log|det m| from an LU decomposition; negative infinity where m is singular. */
    public static double logDet(double[][] m) {
        RealMatrix matrix = new Array2DRowRealMatrix(m, false);
        LUDecomposition lu = new LUDecomposition(matrix, 0);
        RealMatrix u = lu.getU();
        if (u == null) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 0; i < m.length; i++) {
            sum += Math.log(Math.abs(u.getEntry(i, i)));
        }
        return sum;
    }

    private static boolean isRelu(GraphVertex v) {
        if (!(v instanceof LayerVertex lv)) {
            return false;
        }
        Layer l = lv.getLayerConf().getLayer();
        return l instanceof OutOfPlaceRelu
                || (l instanceof ActivationLayer a && a.getActivationFn() instanceof ActivationReLU);
    }

    /**
     * grad-norm: the sum over weight tensors ({@code W} parameters) of the L2 norm of the mean
     * cross-entropy loss's gradient on the minibatch.
     */
    public static double gradNorm(ComputationGraph net, INDArray images, INDArray labels) {
        net.setInputs(images);
        net.setLabels(labels);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        double sum = 0;
        for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) {
            if (isWeight(e.getKey())) {
                sum += e.getValue().norm2Number().doubleValue() / images.size(0);
            }
        }
        return sum;
    }

    private static boolean isWeight(String param) {
        return param.endsWith("_W");
    }

    /**
     * synflow: the network of {@code conf} with batch norm bypassed and a linear output, in double
     * precision, every parameter made positive, fed one all-ones image; R = the sum of its outputs;
     * the score is the sum over weights of |w * dR/dw|.
     */
    public static double synflow(ComputationGraphConfiguration conf, INDArray like) {
        ComputationGraph net = synflowNetwork(conf);
        try {
            return synflow(net, like);
        } finally {
            net.clear();
        }
    }

    /**
     * The network synflow scores, from {@code conf} (changed in place): batch norm an identity, the
     * output linear with the sum of outputs as its loss, double precision, every parameter made positive.
     */
    static ComputationGraph synflowNetwork(ComputationGraphConfiguration conf) {
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv)) {
                continue;
            }
            NeuralNetConfiguration nnc = lv.getLayerConf();
            Layer l = nnc.getLayer();
            if (l instanceof BatchNormalization) {
                ActivationLayer identity = new ActivationLayer.Builder().activation(new ActivationIdentity()).build();
                identity.setLayerName(l.getLayerName());
                nnc.setLayer(identity);
            } else if (l instanceof BaseOutputLayer out) {
                BaseOutputLayer linear = (BaseOutputLayer) out.clone();
                ((BaseLayer) linear).setActivationFn(new ActivationIdentity());
                linear.setLossFn(new SumOfOutputs());
                nnc.setLayer(linear);
            }
        }
        ComputationGraph net = LayerHelpers.graph(conf).convertDataType(DataType.DOUBLE);
        net.params().assign(Transforms.abs(net.params(), true));
        return net;
    }

    /** synflow of a network {@link #synflowNetwork} made, fed one all-ones input shaped as one of {@code like}. */
    static double synflow(ComputationGraph net, INDArray like) {
        long[] shape = like.shape().clone();
        shape[0] = 1;
        net.setInputs(Nd4j.ones(DataType.DOUBLE, shape));
        long classes = net.getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseOutputLayer)
                .mapToLong(v -> ((BaseOutputLayer) ((LayerVertex) v).getLayerConf().getLayer()).getNOut())
                .findFirst().orElseThrow();
        net.setLabels(Nd4j.zeros(DataType.DOUBLE, 1, classes));
        net.computeGradientAndScore();
        double sum = 0;
        for (Map.Entry<String, INDArray> e : net.gradient().gradientForVariable().entrySet()) {
            if (isWeight(e.getKey())) {
                sum += net.getParam(e.getKey()).mul(e.getValue()).norm1Number().doubleValue();
            }
        }
        return sum;
    }

    /** The loss of synflow's linear output: the sum of the outputs, whatever the labels. */
    static final class SumOfOutputs implements ILossFunction {

        @Override
        public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                   boolean average) {
            double s = activationFn.getActivation(preOutput.dup(), true).sumNumber().doubleValue();
            return average ? s / preOutput.size(0) : s;
        }

        @Override
        public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            return activationFn.getActivation(preOutput.dup(), true).sum(true, 1);
        }

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            return activationFn.backprop(preOutput.dup(), Nd4j.onesLike(preOutput)).getFirst();
        }

        @Override
        public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                              IActivation activationFn, INDArray mask, boolean average) {
            return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                    computeGradient(labels, preOutput, activationFn, mask));
        }

        @Override
        public String name() {
            return "sum-of-outputs";
        }
    }
}
