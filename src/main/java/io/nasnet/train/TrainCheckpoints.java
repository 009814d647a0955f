package io.nasnet.train;

import io.nasnet.child.NetworkBuilder;


import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nasnet.data.AtomicFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A final training's checkpoints on any Hadoop FileSystem: after epoch k, {@code epoch-000k.zip}
 * (the DL4J model with its updater state, so momentum resumes too) and {@code epoch-000k.json}
 * (what ran: the architecture, the settings, the epochs so far). Each file is replaced atomically;
 * the JSON is written first, so a model file always has its JSON. The two newest are kept.
 */
public final class TrainCheckpoints {

    private static final Pattern MODEL = Pattern.compile("epoch-(\\d{4,})\\.zip");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint says about its run. */
    public record Meta(String genotype, FinalSettings settings, List<EpochStats> epochs) {
    }

    /** A restored checkpoint: the network after {@code meta.epochs().size()} epochs. */
    public record Restored(ComputationGraph net, Meta meta) {
    }

    private final Path dir;
    private final Configuration hadoop;

    public TrainCheckpoints(String dir, Configuration hadoop) {
        this.dir = new Path(dir);
        this.hadoop = hadoop;
    }

    public Path dir() {
        return dir;
    }

    private static String name(int epoch, String ext) {
        return String.format(Locale.ROOT, "epoch-%04d.%s", epoch, ext);
    }

    public void save(ComputationGraph net, Meta meta) throws IOException {
        int epoch = meta.epochs().size();
        AtomicFile.write(new Path(dir, name(epoch, "json")), hadoop, out -> out.write(JSON.writeValueAsBytes(meta)));
        AtomicFile.write(new Path(dir, name(epoch, "zip")), hadoop, out -> ModelSerializer.writeModel(net, out, true));
        FileSystem fs = dir.getFileSystem(hadoop);
        for (int old = epoch - 2; old >= 1; old--) {
            boolean deleted = fs.delete(new Path(dir, name(old, "zip")), false);
            fs.delete(new Path(dir, name(old, "json")), false);
            if (!deleted) {
                break;
            }
        }
    }

    /** The newest checkpoint, if any. */
    public Optional<Restored> latest() throws IOException {
        FileSystem fs = dir.getFileSystem(hadoop);
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        int newest = 0;
        for (FileStatus st : fs.listStatus(dir)) {
            Matcher m = MODEL.matcher(st.getPath().getName());
            if (m.matches()) {
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        if (newest == 0) {
            return Optional.empty();
        }
        Path json = new Path(dir, name(newest, "json"));
        Meta meta;
        try (FSDataInputStream in = fs.open(json)) {
            meta = JSON.readValue((InputStream) in, new TypeReference<Meta>() { });
        } catch (IOException e) {
            throw new IOException("cannot read checkpoint " + json + ": " + e.getMessage(), e);
        }
        if (meta.epochs().size() != newest) {
            throw new IOException(json + " lists " + meta.epochs().size() + " epochs, expected " + newest);
        }
        Path model = new Path(dir, name(newest, "zip"));
        return Optional.of(new Restored(load(model, hadoop), meta));
    }

    /**
     * A DL4J model file from any Hadoop FileSystem, saved by this release or an earlier one
     * ({@link io.nasnet.child.MovedClasses}), with this project's layer helpers installed.
     */
    public static ComputationGraph load(Path model, Configuration hadoop) throws IOException {
        try (InputStream in = model.getFileSystem(hadoop).open(model)) {
            return restore(in, model.toString());
        }
    }

    /** A DL4J model read from {@code in} ({@code what} names it in errors), as {@link #load} does. */
    public static ComputationGraph restore(InputStream in, String what) throws IOException {
        return NetworkBuilder.restore(in, what);
    }
}
