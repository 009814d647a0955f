package io.nasnet.train;

import io.nasnet.data.Batches;
import io.nasnet.data.ImageDataset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.Random;

/**
 * The training batches of one epoch, a pure function of (seed, epoch): the shuffle and the
 * augmentation are seeded per epoch, so a run resumed at epoch k, or a Spark partition building
 * its share of the batches, sees exactly the batches an uninterrupted run would.
 */
final class FinalBatches {

    private final ImageDataset data;
    private final FinalSettings settings;
    private final Batches batches;

    FinalBatches(ImageDataset data, FinalSettings settings) {
        this.data = data;
        this.settings = settings;
        this.batches = new Batches(data, settings.padCrop(), settings.flip());
    }

    int perEpoch() {
        int n = data.train().size() / settings.batchSize();
        if (n < 1) {
            throw new IllegalArgumentException("batch size " + settings.batchSize() + " exceeds the "
                    + data.train().size() + " training images");
        }
        return n;
    }

    /** The shuffled image order of an epoch. */
    int[] order(int epoch) {
        return ImageDataset.permutation(data.train().size(), new Random(settings.seed() * 1_000_003L + epoch));
    }

    /** Batch {@code b} of an epoch: augmented, labels smoothed, one label array per network output. */
    MultiDataSet batch(int[] order, int epoch, int b, int outputs) {
        Random rng = new Random((settings.seed() * 1_000_003L + epoch) * 65_537L + b);
        int size = settings.batchSize();
        Batches.Batch batch = batches.batch(data.train(), order, b * size, (b + 1) * size, rng);
        INDArray labels = batch.labels();
        double eps = settings.labelSmoothing();
        if (eps > 0) {
            labels.muli(1 - eps).addi(eps / data.classes());
        }
        INDArray[] all = new INDArray[outputs];
        java.util.Arrays.fill(all, labels);
        return new MultiDataSet(new INDArray[]{batch.features()}, all);
    }
}
