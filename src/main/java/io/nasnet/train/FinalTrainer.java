package io.nasnet.train;

import io.nasnet.child.Complexity;
import io.nasnet.child.Dl4jTrainer;
import io.nasnet.child.NetworkBuilder;
import io.nasnet.child.Stacking;
import io.nasnet.data.Batches;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Genotype;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trains a found architecture to the end: builds the scaled network (or resumes it from the
 * newest checkpoint of the same run), fits epoch after epoch on one machine or data-parallel on
 * Spark ({@link EpochFitter}), checkpoints after each epoch, then scores the test set once and
 * saves the final model.
 */
public final class FinalTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(FinalTrainer.class);

    private final FinalSettings settings;
    private final TrainCheckpoints checkpoints;
    private final Configuration hadoop;

    public FinalTrainer(FinalSettings settings, TrainCheckpoints checkpoints, Configuration hadoop) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.hadoop = hadoop;
    }

    /** Fits one epoch of batches into a network; returns the network after the epoch and its mean loss. */
    public interface EpochFitter {
        Fitted fit(ComputationGraph net, FinalBatches batches, int epoch);

        record Fitted(ComputationGraph net, double loss) {
        }
    }

    /** One machine: the batches in order, the global gradient norm clipped by a listener. */
    public static EpochFitter local(FinalSettings settings) {
        return (net, batches, epoch) -> {
            if (settings.gradClip() > 0 && net.getListeners().stream().noneMatch(l -> l instanceof GlobalNormClipping)) {
                net.addListeners(new GlobalNormClipping(settings.gradClip()));
            }
            // drop-path masks come from ND4J's RNG: seeded per epoch, so a resumed run draws the same ones
            Nd4j.getRandom().setSeed(settings.seed() * 1_000_003L + epoch);
            int[] order = batches.order(epoch);
            int outputs = net.getNumOutputArrays();
            double sum = 0;
            int n = batches.perEpoch();
            long start = System.nanoTime();
            long lastReport = start;
            for (int b = 0; b < n; b++) {
                net.fit(batches.batch(order, epoch, b, outputs));
                double loss = net.score();
                if (!Double.isFinite(loss)) {
                    throw new DivergedException("loss became " + loss + " at epoch " + epoch + ", batch " + b
                            + "; the last checkpoint is kept, lower the learning rate and resume");
                }
                sum += loss;
                long now = System.nanoTime();
                if (now - lastReport > 60e9) {
                    lastReport = now;
                    LOG.info("epoch {}: {}/{} batches, loss {}, {} img/s", epoch + 1, b + 1, n,
                            String.format("%.4f", sum / (b + 1)),
                            String.format("%.1f", (b + 1.0) * settings.batchSize() / ((now - start) / 1e9)));
                }
            }
            return new EpochFitter.Fitted(net, sum / n);
        };
    }

    /** A training whose loss turned NaN or infinite. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }

    /**
     * Trains (or resumes) and saves the final model to {@code modelPath}, its card recording
     * {@code provenance}.
     *
     * @throws IllegalStateException if the checkpoint folder holds a run of another architecture or settings
     */
    public FinalResult train(Genotype genotype, ImageDataset data, EpochFitter fitter, String modelPath,
                             Provenance provenance)
            throws IOException {
        FinalBatches batches = new FinalBatches(data, settings);
        Stacking stacking = settings.stacking(data);
        long steps = (long) batches.perEpoch() * settings.epochs();
        ComputationGraph net;
        List<EpochStats> epochs = new ArrayList<>();
        Optional<TrainCheckpoints.Restored> restored = checkpoints.latest();
        if (restored.isPresent()) {
            TrainCheckpoints.Meta meta = restored.get().meta();
            if (!meta.genotype().equals(genotype.text()) || !meta.settings().equals(settings)) {
                throw new IllegalStateException("the checkpoints in " + checkpoints.dir() + " are of another run ("
                        + meta.genotype() + ", " + meta.settings() + "); use another --run-id or delete them");
            }
            net = restored.get().net();
            epochs.addAll(meta.epochs());
            LOG.info("resuming {} from epoch {} of {}", checkpoints.dir(), epochs.size(), settings.epochs());
        } else {
            net = NetworkBuilder.network(genotype, stacking, settings.options(steps));
        }
        Complexity complexity = Complexity.of(net.getConfiguration(),
                InputType.convolutional(data.height(), data.width(), data.channels()));
        Batches eval = new Batches(data, 0, false);
        int resumedAt = epochs.size();
        for (int epoch = epochs.size(); epoch < settings.epochs(); epoch++) {
            long start = System.nanoTime();
            EpochFitter.Fitted fitted = fitter.fit(net, batches, epoch);
            net = fitted.net();
            net.incrementEpochCount();
            double seconds = (System.nanoTime() - start) / 1e9;
            double val = Dl4jTrainer.accuracy(net, eval, data.validation());
            epochs.add(new EpochStats(epoch, fitted.loss(), val, seconds));
            checkpoints.save(net, new TrainCheckpoints.Meta(genotype.text(), settings, List.copyOf(epochs)));
            LOG.info("epoch {}/{}: loss {}, validation accuracy {}, {} s, {} img/s", epoch + 1, settings.epochs(),
                    String.format("%.4f", fitted.loss()), String.format("%.4f", val), String.format("%.1f", seconds),
                    String.format("%.1f", batches.perEpoch() * (double) settings.batchSize() / seconds));
        }
        double test = Dl4jTrainer.accuracy(net, eval, data.test());
        Path model = new Path(modelPath);
        SavedModel.write(net, ModelCard.of(genotype, stacking, data, provenance), model, hadoop);
        double seconds = epochs.stream().mapToDouble(EpochStats::seconds).sum();
        net.clear();
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        return new FinalResult(genotype.id(), genotype.text(), settings, stacking.label(), epochs, resumedAt, test,
                complexity.params(), complexity.multAdds(), seconds, model.toString());
    }

    /** Test accuracy of a saved model on a dataset's test set. */
    public static double evaluate(String modelPath, ImageDataset data, Configuration hadoop) throws IOException {
        ComputationGraph net = TrainCheckpoints.load(new Path(modelPath), hadoop);
        try {
            return Dl4jTrainer.accuracy(net, new Batches(data, 0, false), data.test());
        } finally {
            net.clear();
        }
    }
}
