package io.nasnet.train;

import io.nasnet.child.CosineSchedule;
import io.nasnet.child.NetworkOptions;
import io.nasnet.child.Stacking;
import io.nasnet.child.ChildSettings;
import io.nasnet.data.ImageDataset;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.io.Serializable;
import java.util.Locale;

/**
 * The paper's final-training recipe, scaled to a budget: SGD with Nesterov momentum 0.9, cosine
 * decay, L2, the global gradient norm clipped, optional label smoothing, ScheduledDropPath and the
 * auxiliary head.
 *
 * @param style          CIFAR or ImageNet stacking
 * @param gradClip       clip the global L2 norm of the (batch-mean) gradient to this; 0 = off
 * @param labelSmoothing weight moved from the true class to all classes uniformly; 0 = off
 * @param dropPathKeep   ScheduledDropPath's final keep probability; 1 = off
 * @param auxWeight      loss weight of the auxiliary head; 0 = no aux head
 * @param workers        data-parallel replicas for {@code --distributed} (ignored on one machine)
 * @param averagingFrequency minibatches each replica fits between parameter averages
 */
public record FinalSettings(Stacking.Style style, int n, int f, int epochs, int batchSize, double learningRate,
                            double weightDecay, double gradClip, double labelSmoothing, double dropPathKeep,
                            double auxWeight, int padCrop, boolean flip, long seed, int workers,
                            int averagingFrequency) implements Serializable {

    /** The {@code train.*} keys of the {@code nasnet} configuration {@code c}, validated. */
    public static FinalSettings from(com.typesafe.config.Config c) {
        String style = c.getString("train.stacking");
        Stacking.Style stacking = switch (style.trim().toLowerCase(Locale.ROOT)) {
            case "cifar" -> Stacking.Style.CIFAR;
            case "imagenet" -> Stacking.Style.IMAGENET;
            default -> throw new IllegalArgumentException("train.stacking: '" + style + "' is not one of cifar, imagenet");
        };
        return new FinalSettings(stacking, c.getInt("train.n"), c.getInt("train.f"), c.getInt("train.epochs"),
                c.getInt("train.batch-size"), c.getDouble("train.learning-rate"), c.getDouble("train.weight-decay"),
                c.getDouble("train.grad-clip"), c.getDouble("train.label-smoothing"), c.getDouble("train.drop-path-keep"),
                c.getDouble("train.aux-weight"), c.getInt("train.pad-crop"), c.getBoolean("train.flip"),
                c.getLong("train.seed"), c.getInt("train.workers"), c.getInt("train.averaging-frequency"));
    }

    public FinalSettings {
        ChildSettings.requireCommon("train", n, f, epochs, batchSize, learningRate, weightDecay, padCrop);
        ChildSettings.require(gradClip >= 0, "train", "grad-clip", gradClip);
        ChildSettings.require(labelSmoothing >= 0 && labelSmoothing < 1, "train", "label-smoothing", labelSmoothing);
        ChildSettings.require(dropPathKeep > 0 && dropPathKeep <= 1, "train", "drop-path-keep", dropPathKeep);
        ChildSettings.require(auxWeight >= 0, "train", "aux-weight", auxWeight);
        ChildSettings.require(workers >= 1, "train", "workers", workers);
        ChildSettings.require(averagingFrequency >= 1, "train", "averaging-frequency", averagingFrequency);
    }

    /** The network's stacking for a dataset's image size and classes. */
    public Stacking stacking(ImageDataset data) {
        return stacking(data.height(), data.width(), data.channels(), data.classes());
    }

    /** The network's stacking for images of {@code height x width x channels} and {@code classes} classes. */
    public Stacking stacking(int height, int width, int channels, int classes) {
        return style == Stacking.Style.CIFAR
                ? Stacking.cifar(n, f, height, width, channels, classes)
                : new Stacking(Stacking.Style.IMAGENET, n, f, height, width, channels, classes, 1.0, false);
    }

    /** Optimizer and regularizers for {@code steps} updates in all (what cosine decay and drop-path span). */
    public NetworkOptions options(long steps) {
        NetworkOptions o = NetworkOptions.search(learningRate, weightDecay, seed)
                .withUpdater(new Nesterovs(new CosineSchedule(learningRate, steps), 0.9))
                .withAuxHead(auxWeight);
        return dropPathKeep < 1 ? o.withDropPath(dropPathKeep, steps) : o;
    }

    /** "cifar" or "imagenet". */
    public String stackingName() {
        return style.name().toLowerCase(Locale.ROOT);
    }
}
