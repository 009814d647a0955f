package io.nasnet.child;

import io.nasnet.child.runtime.Backend;

import io.nasnet.child.runtime.NativeMemory;

import io.nasnet.data.Batches;
import io.nasnet.data.ImageDataset;
import io.nasnet.data.ImageSet;
import io.nasnet.space.Genotype;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a search child with DL4J as the paper does: SGD with Nesterov momentum 0.9, cosine
 * learning-rate decay to zero, L2, crop-and-flip augmentation; validation accuracy after every
 * epoch. A NaN or infinite loss stops the child as {@link Status#DIVERGED}; any exception or
 * error, out-of-memory included, becomes {@link Status#FAILED} with its message.
 */
public final class Dl4jTrainer implements ChildTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jTrainer.class);
    private static final int EVAL_BATCH = 256;

    private final ChildSettings settings;
    private final String gpu;

    public Dl4jTrainer(ChildSettings settings) {
        this(settings, "");
    }

    /** @param gpu the accelerator this trainer runs on, recorded with each result ("" on CPU) */
    public Dl4jTrainer(ChildSettings settings, String gpu) {
        this.settings = settings;
        this.gpu = gpu;
    }

    public ChildSettings settings() {
        return settings;
    }

    @Override
    public ChildResult train(ChildSpec spec, ImageDataset data) {
        return trainUntil(spec, data, null, Long.MAX_VALUE).result();
    }

    @Override
    public Progress trainUntil(ChildSpec spec, ImageDataset data, byte[] from, long untilStep) {
        String host = Backend.host();
        ComputationGraph net = null;
        try (NativeMemory.Reservation ignored = NativeMemory.reserve(settings.memoryLimit())) {
            Genotype genotype = Genotype.parse(spec.genotype());
            int perEpoch = data.train().size() / settings.batchSize();
            if (perEpoch < 1) {
                throw new IllegalArgumentException("batch size " + settings.batchSize() + " exceeds the "
                        + data.train().size() + " training images");
            }
            long total = settings.steps(data.train().size());
            Position at;
            if (from == null) {
                Stacking stacking = Stacking.cifar(settings.n(), settings.f(), data.height(), data.width(),
                        data.channels(), data.classes());
                NetworkOptions options = NetworkOptions.search(settings.learningRate(), settings.weightDecay(), spec.seed())
                        .withUpdater(new Nesterovs(new CosineSchedule(settings.learningRate(), total), 0.9));
                // scored before the child's own network exists, so that the two are never in memory together
                ZeroCost scores = settings.zeroCost() ? zeroCost(genotype, stacking, spec, data) : ZeroCost.NONE;
                net = NetworkBuilder.network(genotype, stacking, options);
                at = Position.start(spec.seed(), data.train().size());
                at.zeroCost = scores;
            } else {
                at = Position.read(from);
                net = at.net;
            }
            Complexity complexity = Complexity.of(net.getConfiguration(),
                    InputType.convolutional(data.height(), data.width(), data.channels()));
            return loop(spec, data, net, complexity, rewardSize(genotype, complexity, data), perEpoch, total,
                    Math.min(untilStep, total), at, host);
        } catch (Throwable t) {
            LOG.debug("child {}/{} failed", spec.round(), spec.index(), t);
            if (Failures.classify(t) != Failures.Kind.ARCHITECTURE) {
                // not for this trainer to decide: the executor retries it or fails the task (Failures)
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw new Failures.EnvironmentException(t.toString(), t);
            }
            return new Progress(ChildResult.failed(spec, t.getClass().getSimpleName() + ": " + t.getMessage()), null);
        } finally {
            if (net != null) {
                net.clear();
            }
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            NativeMemory.afterChild();
        }
    }

    /**
     * The child's zero-cost scores on its first training minibatch's images in order (no augmentation,
     * no draw from the training's generator; a minibatch no larger than training's, so the thread's
     * workspaces grow no larger than training makes them, and are released before training); a score
     * that fails is logged and left NaN, never failing the child.
     */
    private ZeroCost zeroCost(Genotype genotype, Stacking stacking, ChildSpec spec, ImageDataset data) {
        try {
            return ZeroCostScorer.score(genotype, stacking, spec.seed(), data, settings.batchSize());
        } catch (RuntimeException e) {
            LOG.warn("child {}/{}: zero-cost scores failed: {}", spec.round(), spec.index(), e.toString());
            return ZeroCost.NONE;
        } finally {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            NativeMemory.afterChild();
        }
    }

    /** The size a size-aware reward weighs: the child's, or the stated final network's; 0 without one. */
    private long rewardSize(Genotype genotype, Complexity child, ImageDataset data) {
        SizeReward size = settings.size();
        if (!size.on()) {
            return 0;
        }
        if (!size.ofFinalNetwork()) {
            return size.measure().of(child);
        }
        Stacking last = Stacking.cifar(size.finalN(), size.finalF(), data.height(), data.width(), data.channels(),
                data.classes());
        return size.measure().of(Complexity.of(NetworkBuilder.configuration(genotype, last,
                NetworkOptions.search(settings.learningRate(), settings.weightDecay(), 0)),
                InputType.convolutional(data.height(), data.width(), data.channels())));
    }

    /**
     * Where a child's training stands between steps: everything besides the network that decides what
     * the next steps do (the data order and augmentation generator, the epoch's order) and what its
     * result reports. Saved with the network (its updater and iteration count included) between rungs.
     */
    private static final class Position {
        private static final int MAGIC = 0x4E415352; // "NASR"
        private static final int FORMAT = 2;

        ComputationGraph net;
        Random rng;
        int[] order;
        long step;
        double lossSum;
        final List<Double> accuracies = new ArrayList<>();
        final List<Double> validationLosses = new ArrayList<>();
        double trainNanos;
        long images;
        double lastLoss = Double.NaN;
        /** Sum of every step's training loss. */
        double lossArea;
        ZeroCost zeroCost = ZeroCost.NONE;

        static Position start(long seed, int trainImages) {
            Position p = new Position();
            p.rng = new Random(seed);
            p.order = new int[trainImages];
            for (int i = 0; i < p.order.length; i++) {
                p.order[i] = i;
            }
            return p;
        }

        byte[] write(ComputationGraph network) throws java.io.IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeLong(step);
                out.writeInt(order.length);
                for (int i : order) {
                    out.writeInt(i);
                }
                byte[] r = org.apache.commons.lang3.SerializationUtils.serialize(rng);
                out.writeInt(r.length);
                out.write(r);
                out.writeDouble(lossSum);
                out.writeInt(accuracies.size());
                for (int i = 0; i < accuracies.size(); i++) {
                    out.writeDouble(accuracies.get(i));
                    out.writeDouble(validationLosses.get(i));
                }
                out.writeDouble(trainNanos);
                out.writeLong(images);
                out.writeDouble(lastLoss);
                out.writeDouble(lossArea);
                out.writeDouble(zeroCost.naswot());
                out.writeDouble(zeroCost.synflow());
                out.writeDouble(zeroCost.gradNorm());
                out.writeDouble(zeroCost.seconds());
                java.io.ByteArrayOutputStream model = new java.io.ByteArrayOutputStream();
                ModelSerializer.writeModel(network, model, true);
                out.writeInt(model.size());
                model.writeTo(out);
            }
            return bytes.toByteArray();
        }

        static Position read(byte[] state) throws java.io.IOException {
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new java.io.IOException("not a saved child state of this release");
            }
            Position p = new Position();
            p.step = in.readLong();
            p.order = new int[in.readInt()];
            for (int i = 0; i < p.order.length; i++) {
                p.order[i] = in.readInt();
            }
            p.rng = org.apache.commons.lang3.SerializationUtils.deserialize(in.readNBytes(in.readInt()));
            p.lossSum = in.readDouble();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                p.accuracies.add(in.readDouble());
                p.validationLosses.add(in.readDouble());
            }
            p.trainNanos = in.readDouble();
            p.images = in.readLong();
            p.lastLoss = in.readDouble();
            p.lossArea = in.readDouble();
            p.zeroCost = new ZeroCost(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
            p.net = NetworkBuilder.restore(new java.io.ByteArrayInputStream(in.readNBytes(in.readInt())), "child state");
            return p;
        }
    }

    /** Trains from {@code at} up to step {@code until}; at the end the reward is the paper's, before it the accuracy now. */
    private Progress loop(ChildSpec spec, ImageDataset data, ComputationGraph net, Complexity complexity,
                          long rewardSize, int perEpoch, long total, long until, Position at, String host)
            throws java.io.IOException {
        Batches batches = new Batches(data, settings.padCrop(), settings.flip());
        ImageSet train = data.train();
        long peakRss = Pointer.physicalBytes();
        Status status = Status.OK;
        String error = "";
        int b = settings.batchSize();
        while (at.step < until) {
            int it = (int) (at.step % perEpoch);
            long epoch = at.step / perEpoch;
            long start = System.nanoTime();
            if (it == 0) {
                ImageDataset.shuffle(at.order, at.rng);
                at.lossSum = 0;
            }
            Batches.Batch batch = batches.batch(train, at.order, it * b, (it + 1) * b, at.rng);
            net.fit(new DataSet(batch.features(), batch.labels()));
            double loss = net.score();
            at.trainNanos += System.nanoTime() - start;
            if (!Double.isFinite(loss)) {
                status = Status.DIVERGED;
                error = "loss became " + loss + " at epoch " + epoch + ", iteration " + it;
                at.lastLoss = loss;
                break;
            }
            at.lossSum += loss;
            at.lossArea += loss;
            at.images += b;
            peakRss = Math.max(peakRss, Pointer.physicalBytes());
            at.step++;
            if (it == perEpoch - 1) {
                at.lastLoss = at.lossSum / perEpoch;
            }
            if (settings.evaluatesAfter(at.step, total, perEpoch)) {
                Evaluation e = evaluate(net, batches, data.validation());
                at.accuracies.add(e.accuracy());
                at.validationLosses.add(e.loss());
                LOG.debug("child {}/{} step {}: loss {} validation accuracy {}", spec.round(), spec.index(), at.step,
                        loss, e.accuracy());
            }
        }
        boolean end = at.step >= total;
        double accuracy = 0;
        double loss = at.lastLoss;
        ChildMeasures measures = ChildMeasures.NONE.withZeroCost(at.zeroCost);
        double area = at.step == 0 ? Double.NaN : at.lossArea / at.step;
        if (status == Status.OK && end) {
            int n = at.accuracies.size();
            accuracy = at.accuracies.subList(n - settings.rewardLastK(), n).stream()
                    .mapToDouble(Double::doubleValue).max().orElse(0);
            int k = settings.meanLastK() == 0 ? n : settings.meanLastK();
            double mean = at.accuracies.subList(n - k, n).stream().mapToDouble(Double::doubleValue).average().orElse(0);
            measures = new ChildMeasures(mean, at.validationLosses.get(n - 1), area, at.zeroCost);
        } else if (status == Status.OK) {
            int it = (int) (at.step % perEpoch);
            boolean justEvaluated = !at.accuracies.isEmpty() && settings.evaluatesAfter(at.step, total, perEpoch);
            Evaluation e = justEvaluated ? new Evaluation(at.accuracies.get(at.accuracies.size() - 1),
                    at.validationLosses.get(at.validationLosses.size() - 1)) : evaluate(net, batches, data.validation());
            accuracy = e.accuracy();
            loss = it == 0 ? at.lastLoss : at.lossSum / it;
            // below the last rung the evaluation here stands for every accuracy definition
            measures = new ChildMeasures(accuracy, e.loss(), area, at.zeroCost);
        }
        double seconds = at.trainNanos / 1e9;
        double reward = status == Status.OK ? settings.reward().of(accuracy, measures) : 0;
        ChildResult result = new ChildResult(spec, status, reward * settings.size().factor(rewardSize), at.accuracies,
                loss, complexity.params(), complexity.multAdds(), at.accuracies.size(), seconds,
                seconds > 0 ? at.images / seconds : 0, peakRss, host, gpu, error, accuracy, rewardSize, measures);
        return new Progress(result, status == Status.OK && !end ? at.write(net) : null);
    }

    /** A validation pass: the fraction classified correctly and the mean cross-entropy. */
    public record Evaluation(double accuracy, double loss) {
    }

    /** Fraction of {@code set} the network classifies correctly by its main output (inference mode, no augmentation). */
    public static double accuracy(ComputationGraph net, Batches batches, ImageSet set) {
        return evaluate(net, batches, set).accuracy();
    }

    /**
     * The accuracy of the main output on {@code set} and its mean cross-entropy (probabilities floored
     * at 1e-12), in inference mode without augmentation.
     */
    public static Evaluation evaluate(ComputationGraph net, Batches batches, ImageSet set) {
        int[] all = new int[set.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        long correct = 0;
        double lossSum = 0;
        for (int from = 0; from < all.length; from += EVAL_BATCH) {
            int to = Math.min(all.length, from + EVAL_BATCH);
            Batches.Batch batch = batches.batch(set, all, from, to, null);
            INDArray out = net.output(false, batch.features())[0];
            INDArray predicted = out.argMax(1);
            INDArray truth = batch.labels().argMax(1);
            correct += predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
            double[] pTrue = out.mul(batch.labels()).sum(1).toDoubleVector();
            for (double p : pTrue) {
                lossSum -= Math.log(Math.max(p, 1e-12));
            }
        }
        return set.size() == 0 ? new Evaluation(0, Double.NaN)
                : new Evaluation((double) correct / set.size(), lossSum / set.size());
    }
}
