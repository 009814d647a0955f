package io.nasnet.child;

import io.nasnet.child.runtime.Dl4jRuntime;

import io.nasnet.space.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The model files of {@code src/test/resources/models}: NASNet-A (CIFAR stacking, N = 1, F = 4, 28x28x1,
 * ScheduledDropPath on, a cosine learning-rate schedule), once with the oneDNN
 * layers and once with separate layers, saved as {@code train} saves them, with the probabilities
 * they give for {@link #input()}. Files saved by an earlier release stay checked in, so that a test
 * sees every layer class name a model file may hold still loading after a class moved. Run
 * {@code main} with a folder to write a new set.
 */
final class ModelFixtures {

    static final String[] NAMES = {"nasnet-a-fused", "nasnet-a-separate"};

    private ModelFixtures() {
    }

    /** Four fixed 28x28 single-channel images. */
    static INDArray input() {
        Nd4j.getRandom().setSeed(20261201L);
        return Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
    }

    static String csv(INDArray probabilities) {
        StringJoiner rows = new StringJoiner("\n", "", "\n");
        for (int i = 0; i < probabilities.rows(); i++) {
            StringJoiner row = new StringJoiner(",");
            for (int j = 0; j < probabilities.columns(); j++) {
                row.add(String.format(Locale.ROOT, "%.8e", probabilities.getDouble(i, j)));
            }
            rows.add(row.toString());
        }
        return rows.toString();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Dl4jRuntime.install();
        for (String name : NAMES) {
            NetworkOptions options = NetworkOptions.search(0.05, 5e-4, 7).withUpdater(new Nesterovs(new CosineSchedule(0.05, 100), 0.9))
                    .withDropPath(0.6, 100);
            ComputationGraph net = NetworkBuilder.network(Presets.NASNET_A, Stacking.cifar(1, 4, 28, 28, 1, 10),
                    options, name.endsWith("fused"));
            // a few steps, so that batch-norm statistics and the updater's state are not their initial values
            Nd4j.getRandom().setSeed(3);
            for (int i = 0; i < 3; i++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
                INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 10);
                for (int k = 0; k < 8; k++) {
                    y.putScalar(k, k % 10, 1);
                }
                net.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{x}, new INDArray[]{y}));
            }
            ModelSerializer.writeModel(net, dir.resolve(name + ".zip").toFile(), true);
            Files.writeString(dir.resolve(name + ".csv"), csv(net.output(false, input())[0]));
            java.util.TreeSet<String> classes = new java.util.TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(io\\.nasnet\\.[\\w.$]+)\"")
                    .matcher(net.getConfiguration().toJson());
            while (m.find()) {
                classes.add(m.group(1));
            }
            Files.writeString(dir.resolve(name + ".classes"), String.join("\n", classes) + "\n");
            System.out.println(name + ": " + classes);
        }
    }
}
