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

    private final TrainSettings settings;
    private final String gpu;

    public Dl4jTrainer(TrainSettings settings) {
        this(settings, "");
    }

    /** @param gpu the accelerator this trainer runs on, recorded with each result ("" on CPU) */
    public Dl4jTrainer(TrainSettings settings, String gpu) {
        this.settings = settings;
        this.gpu = gpu;
    }

    public TrainSettings settings() {
        return settings;
    }

    @Override
    public ChildResult train(ChildSpec spec, ImageDataset data) {
        String host = Backend.host();
        ComputationGraph net = null;
        try (NativeMemory.Reservation ignored = NativeMemory.reserve(settings.memoryLimit())) {
            Genotype genotype = Genotype.parse(spec.genotype());
            Stacking stacking = Stacking.cifar(settings.n(), settings.f(), data.height(), data.width(),
                    data.channels(), data.classes());
            int perEpoch = data.train().size() / settings.batchSize();
            if (perEpoch < 1) {
                throw new IllegalArgumentException("batch size " + settings.batchSize() + " exceeds the "
                        + data.train().size() + " training images");
            }
            long iterations = (long) perEpoch * settings.epochs();
            NetworkOptions options = NetworkOptions.search(settings.learningRate(), settings.weightDecay(), spec.seed())
                    .withUpdater(new Nesterovs(new CosineSchedule(settings.learningRate(), iterations), 0.9));
            net = NetworkBuilder.network(genotype, stacking, options);
            Complexity complexity = Complexity.of(net.getConfiguration(),
                    InputType.convolutional(data.height(), data.width(), data.channels()));
            return loop(spec, data, net, complexity, rewardSize(genotype, complexity, data), perEpoch, host);
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
            return ChildResult.failed(spec, t.getClass().getSimpleName() + ": " + t.getMessage());
        } finally {
            if (net != null) {
                net.clear();
            }
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
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

    private ChildResult loop(ChildSpec spec, ImageDataset data, ComputationGraph net, Complexity complexity,
                             long rewardSize, int perEpoch, String host) {
        Batches batches = new Batches(data, settings.padCrop(), settings.flip());
        ImageSet train = data.train();
        Random rng = new Random(spec.seed());
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<Double> accuracies = new ArrayList<>();
        long peakRss = Pointer.physicalBytes();
        double trainNanos = 0;
        long images = 0;
        double lastLoss = Double.NaN;
        Status status = Status.OK;
        String error = "";
        int b = settings.batchSize();
        for (int epoch = 0; epoch < settings.epochs() && status == Status.OK; epoch++) {
            ImageDataset.shuffle(order, rng);
            double lossSum = 0;
            long start = System.nanoTime();
            for (int it = 0; it < perEpoch; it++) {
                Batches.Batch batch = batches.batch(train, order, it * b, (it + 1) * b, rng);
                net.fit(new DataSet(batch.features(), batch.labels()));
                double loss = net.score();
                if (!Double.isFinite(loss)) {
                    status = Status.DIVERGED;
                    error = "loss became " + loss + " at epoch " + epoch + ", iteration " + it;
                    lastLoss = loss;
                    break;
                }
                lossSum += loss;
                images += b;
                peakRss = Math.max(peakRss, Pointer.physicalBytes());
            }
            trainNanos += System.nanoTime() - start;
            if (status == Status.OK) {
                lastLoss = lossSum / perEpoch;
                accuracies.add(accuracy(net, batches, data.validation()));
                LOG.debug("child {}/{} epoch {}: loss {} validation accuracy {}", spec.round(), spec.index(), epoch,
                        lastLoss, accuracies.get(accuracies.size() - 1));
            }
        }
        double accuracy = 0;
        if (status == Status.OK) {
            int k = settings.rewardLastK();
            accuracy = accuracies.subList(accuracies.size() - k, accuracies.size()).stream()
                    .mapToDouble(Double::doubleValue).max().orElse(0);
        }
        double seconds = trainNanos / 1e9;
        return new ChildResult(spec, status, accuracy * settings.size().factor(rewardSize), accuracies, lastLoss,
                complexity.params(), complexity.multAdds(), accuracies.size(), seconds,
                seconds > 0 ? images / seconds : 0, peakRss, host, gpu, error, accuracy, rewardSize);
    }

    /** Fraction of {@code set} the network classifies correctly by its main output (inference mode, no augmentation). */
    public static double accuracy(ComputationGraph net, Batches batches, ImageSet set) {
        int[] all = new int[set.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < all.length; from += EVAL_BATCH) {
            int to = Math.min(all.length, from + EVAL_BATCH);
            Batches.Batch batch = batches.batch(set, all, from, to, null);
            INDArray predicted = net.output(false, batch.features())[0].argMax(1);
            INDArray truth = batch.labels().argMax(1);
            correct += predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        }
        return set.size() == 0 ? 0 : (double) correct / set.size();
    }
}
