package io.nasnet.train;

import io.nasnet.child.Stacking;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Genotype;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a saved model needs beside its weights to be used anywhere: which architecture it is, the
 * input it takes (NCHW, {@code stacking}'s channels, height and width), the normalization its
 * training applied to that input ({@code x = (pixel / 255 - mean[c]) / std[c]}) and the names of
 * its classes. {@code train} writes it into the model file; {@code export} and {@code predict} read it.
 *
 * @param archId   the architecture id (16 hex digits)
 * @param genotype the genotype's text
 * @param dataset    the dataset the model was trained on
 * @param provenance where the model came from, or null: a card of an export with random weights, or
 *                   one saved before cards recorded it
 */
public record ModelCard(String archId, String genotype, Stacking stacking, float[] mean, float[] std,
                        List<String> labels, String dataset, Provenance provenance) {

    /** A card without provenance. */
    public ModelCard(String archId, String genotype, Stacking stacking, float[] mean, float[] std,
                     List<String> labels, String dataset) {
        this(archId, genotype, stacking, mean, std, labels, dataset, null);
    }

    public ModelCard {
        Objects.requireNonNull(stacking, "stacking");
        if (mean.length != stacking.channels() || std.length != stacking.channels()) {
            throw new IllegalArgumentException("normalization of " + mean.length + " means and " + std.length
                    + " deviations for an input of " + stacking.channels() + " channels");
        }
        if (labels.size() != stacking.classes()) {
            throw new IllegalArgumentException(labels.size() + " class labels for a model of "
                    + stacking.classes() + " classes");
        }
        labels = List.copyOf(labels);
    }

    /** The card of a network of {@code genotype} stacked as {@code stacking} and trained on {@code data}. */
    public static ModelCard of(Genotype genotype, Stacking stacking, ImageDataset data, Provenance provenance) {
        return new ModelCard(genotype.id(), genotype.text(), stacking, data.mean(), data.std(), data.labels(),
                data.name(), provenance);
    }

    /** The input as ONNX and the docs write it: {@code [batch, C, H, W]}. */
    public String inputShape() {
        return String.format(Locale.ROOT, "[batch, %d, %d, %d]", stacking.channels(), stacking.height(),
                stacking.width());
    }

    /** The normalization in words, with its numbers. */
    public String normalization() {
        return "x = (pixel / 255 - mean[c]) / std[c], channels in the order of the input; mean = "
                + Arrays.toString(mean) + ", std = " + Arrays.toString(std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCard c && archId.equals(c.archId) && genotype.equals(c.genotype)
                && stacking.equals(c.stacking) && Arrays.equals(mean, c.mean) && Arrays.equals(std, c.std)
                && labels.equals(c.labels) && Objects.equals(dataset, c.dataset) && Objects.equals(provenance, c.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(archId, genotype, stacking, Arrays.hashCode(mean), Arrays.hashCode(std), labels, dataset,
                provenance);
    }

    /** The card as {@code nasnet show MODEL} prints it, one {@code key: value} per line. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("architecture: ").append(archId).append('\n');
        b.append("genotype:     ").append(genotype).append('\n');
        b.append("stacking:     ").append(stacking.label()).append(", input ").append(inputShape()).append('\n');
        b.append("labels:       ").append(String.join(", ", labels)).append('\n');
        b.append("dataset:      ").append(dataset).append('\n');
        b.append("input:        ").append(normalization()).append('\n');
        if (provenance == null) {
            b.append("provenance:   not recorded (a model exported with random weights, or saved before cards "
                    + "recorded it)\n");
        } else {
            b.append("search:       ").append(provenance.searchId()).append('\n');
            b.append("recipe:       ").append(provenance.recipe()).append('\n');
            b.append("data:         checksum ").append(provenance.dataChecksum()).append('\n');
            b.append("seed:         ").append(provenance.seed()).append('\n');
            b.append("trained by:   nasnet-spark ").append(provenance.version()).append(", commit ")
                    .append(provenance.commit()).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "ModelCard[" + archId + ", " + stacking.label() + " " + inputShape() + ", " + labels.size()
                + " classes, trained on " + dataset + "]";
    }
}
