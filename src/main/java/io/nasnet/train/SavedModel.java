package io.nasnet.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nasnet.data.AtomicFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A trained network and its {@link ModelCard}, in one file: DL4J's model zip, which
 * {@code ModelSerializer} and {@code evaluate} read as ever, with the card as one more entry
 * ({@value #CARD}). Written atomically on any Hadoop FileSystem.
 */
public record SavedModel(ComputationGraph net, ModelCard card) {

    /** The zip entry holding the card, as JSON. */
    public static final String CARD = "nasnet-model.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the network (with its updater state, so training can go on) and the card to {@code file}. */
    public static void write(ComputationGraph net, ModelCard card, Path file, Configuration hadoop) throws IOException {
        File tmp = File.createTempFile("nasnet-model", ".zip");
        try {
            ModelSerializer.writeModel(net, tmp, true);
            AtomicFile.write(file, hadoop, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                try (ZipFile dl4j = new ZipFile(tmp)) {
                    for (ZipEntry e : java.util.Collections.list(dl4j.entries())) {
                        zip.putNextEntry(new ZipEntry(e.getName()));
                        try (InputStream in = dl4j.getInputStream(e)) {
                            in.transferTo(zip);
                        }
                        zip.closeEntry();
                    }
                }
                zip.putNextEntry(new ZipEntry(CARD));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(card));
                zip.closeEntry();
                zip.finish();
            });
        } finally {
            Files.deleteIfExists(tmp.toPath());
        }
    }

    /** The network and card of a model file saved by {@code train}. */
    public static SavedModel read(Path file, Configuration hadoop) throws IOException {
        ModelCard card = card(file, hadoop).orElseThrow(() -> new IOException("model " + file + " has no "
                + CARD + ": it was not saved by train (or by a release before model cards); train it again, "
                + "or export from its architecture with --untrained"));
        return new SavedModel(TrainCheckpoints.load(file, hadoop), card);
    }

    /** The card of a model file, if it has one. */
    public static Optional<ModelCard> card(Path file, Configuration hadoop) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(file.getFileSystem(hadoop).open(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(CARD)) {
                    return Optional.of(JSON.readValue(zip.readAllBytes(), ModelCard.class));
                }
            }
            return Optional.empty();
        } catch (java.io.FileNotFoundException e) {
            throw new IOException("no model file at " + file, e);
        } catch (IOException e) {
            throw new IOException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }
}
