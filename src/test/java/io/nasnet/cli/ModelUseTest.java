package io.nasnet.cli;

import io.nasnet.Slow;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import io.nasnet.child.Stacking;
import io.nasnet.search.SearchConfig;
import io.nasnet.data.Batches;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.data.ImageSet;
import io.nasnet.export.OnnxExporter;
import io.nasnet.search.TestTrainers;
import io.nasnet.space.Presets;
import io.nasnet.train.ModelCard;
import io.nasnet.train.SavedModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The found model used outside the search: NASNet-A trained by {@code train} on the shipped subset,
 * exported to ONNX and run in ONNX Runtime, and scored over datasets and image folders by
 * {@code predict}, from the command line.
 */
@Slow
class ModelUseTest {

    static final Path DATA = Path.of("data/fashion-mnist-small");

    @TempDir
    static Path dir;
    static Path conf;
    static Path model;
    static double evaluated;
    static SparkSession spark;

    @BeforeAll
    static void train() throws Exception {
        spark = TestSpark.local();
        conf = TestSearch.conf(dir.resolve("m.conf"), DATA.toAbsolutePath(), dir, "data.validation=500",
                "data.train-limit=1024", "train.n=1", "train.f=2", "train.epochs=1", "train.batch-size=32",
                "train.learning-rate=0.1", "spark.master=\"local[2]\"");
        model = dir.resolve("model.zip");
        Commands.Result t = Commands.run("train", "--conf", conf.toString(), "--genotype", "NASNet-A",
                "--model", model.toString());
        assertThat(t.code()).as(t.err()).isZero();
        Commands.Result e = Commands.run("evaluate", "--conf", conf.toString(), "--model", model.toString());
        assertThat(e.code()).as(e.err()).isZero();
        evaluated = TrainCommandTest.accuracy(e.out());
        assertThat(evaluated).as("a model better than chance (0.1)").isGreaterThan(0.2);
    }

    static SearchConfig config() {
        return SearchConfig.load(conf.toFile(), List.of());
    }

    @Test
    void theExportedModelMakesTheSamePredictionsOnTheTestSetInOnnxRuntime() throws Exception {
        Path onnx = dir.resolve("model.onnx");
        Commands.Result x = Commands.run("export", "--model", model.toString(), "--format", "onnx", "--out",
                onnx.toString());
        assertThat(x.code()).as(x.err()).isZero();
        assertThat(x.out()).contains("exported " + Presets.NASNET_A.id()).contains("input:  input [batch, 1, 28, 28]")
                .contains("[T-shirt/top, Trouser,");

        ImageDataset data = Datasets.load(config().data());
        SavedModel saved = SavedModel.read(new org.apache.hadoop.fs.Path(model.toUri()), new Configuration());
        assertThat(saved.card().labels()).startsWith("T-shirt/top", "Trouser");
        assertThat(saved.card().mean()).containsExactly(data.mean());
        ImageSet test = data.test();
        int[] all = java.util.stream.IntStream.range(0, test.size()).toArray();
        Batches batches = new Batches(data, 0, false);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int correct = 0;
        int same = 0;
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("nasnet.arch_id", Presets.NASNET_A.id())
                    .containsEntry("nasnet.labels", String.join("\n", saved.card().labels()));
            for (int from = 0; from < all.length; from += 500) {
                Batches.Batch b = batches.batch(test, all, from, Math.min(all.length, from + 500), null);
                INDArray dl4j = saved.net().output(false, b.features())[0].argMax(1);
                float[][] p;
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.features().dup('c').data().asFloat()),
                        b.features().shape()); OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, in))) {
                    p = (float[][]) r.get(0).getValue();
                }
                for (int i = 0; i < p.length; i++) {
                    int best = argmax(p[i]);
                    same += best == dl4j.getInt(i) ? 1 : 0;
                    correct += best == test.labels()[from + i] ? 1 : 0;
                }
            }
        }
        saved.net().clear();
        assertThat(same).as("images ONNX Runtime and DL4J classify alike").isEqualTo(test.size());
        assertThat(Math.round(10_000.0 * correct / test.size()) / 10_000.0).isEqualTo(evaluated);
    }

    @Test
    void anArchitectureExportsWithRandomWeightsForADatasetOrAGivenInput() throws Exception {
        Path a = dir.resolve("untrained-data.onnx");
        Commands.Result r = Commands.run("export", "--conf", conf.toString(), "--genotype", "NASNet-A", "--untrained",
                "--out", a.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("random weights");
        Path b = dir.resolve("untrained-input.onnx");
        Commands.Result s = Commands.run("export", "--conf", conf.toString(), "--genotype", Presets.NASNET_A.text(),
                "--untrained", "--input", "33x35x3", "--classes", "100", "--out", b.toString());
        assertThat(s.code()).as(s.err()).isZero();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession sa = env.createSession(a.toString(), new OrtSession.SessionOptions());
             OrtSession sb = env.createSession(b.toString(), new OrtSession.SessionOptions())) {
            assertThat(sa.getInputInfo().get(OnnxExporter.INPUT).getInfo().toString()).contains("shape=[-1, 1, 28, 28]");
            assertThat(sa.getMetadata().getCustomMetadata().get("nasnet.labels")).startsWith("T-shirt/top\n");
            assertThat(sb.getInputInfo().get(OnnxExporter.INPUT).getInfo().toString()).contains("shape=[-1, 3, 33, 35]");
            assertThat(sb.getOutputInfo().get(OnnxExporter.OUTPUT).getInfo().toString()).contains("shape=[-1, 100]");
            assertThat(sb.getMetadata().getCustomMetadata()).containsEntry("nasnet.mean", "0.0,0.0,0.0")
                    .containsEntry("nasnet.arch_id", Presets.NASNET_A.id());
        }
        Commands.Result noFlag = Commands.run("export", "--genotype", "NASNet-A", "--out", dir.resolve("x.onnx").toString());
        assertThat(noFlag.code()).isNotZero();
        assertThat(noFlag.err()).contains("add --untrained");
    }

    @Test
    void aLayerTheExporterDoesNotKnowFailsTheExportAndLeavesTheOutputAlone() throws Exception {
        ComputationGraph net = io.nasnet.export.HandMadeNetworks.withSeparableConvolution(2);
        ModelCard card = new ModelCard(Presets.NASNET_A.id(), Presets.NASNET_A.text(), Stacking.cifar(1, 2, 8, 8, 1, 2),
                new float[]{0f}, new float[]{1f}, List.of("a", "b"), "hand-made");
        Path odd = dir.resolve("odd.zip");
        SavedModel.write(net, card, new org.apache.hadoop.fs.Path(odd.toUri()), new Configuration());
        Path out = dir.resolve("odd.onnx");
        Files.writeString(out, "an earlier export");
        Commands.Result r = Commands.run("export", "--model", odd.toString(), "--out", out.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("cannot export layer 'sep'").contains(SeparableConvolution2D.class.getName());
        assertThat(Files.readString(out)).isEqualTo("an earlier export");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".odd.onnx"));
        }
    }

    @Test
    void predictionOverTheShippedTestSetHasEvaluatesAccuracy() {
        Path out = dir.resolve("predictions");
        Commands.Result p = Commands.run("predict", "--conf", conf.toString(), "--model", model.toString(), "--input",
                DATA.toAbsolutePath().toString(), "--out", out.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(accuracyLine(p.out())).isEqualTo(evaluated);
        assertThat(p.out()).contains("predicted 2000 of 2000 images");

        Row s = spark.read().parquet(out.toString()).selectExpr("count(*)", "count(error)",
                "avg(CAST(label = predicted AS INT))", "min(size(top_k))", "count_if(top_k[0].class != predicted)",
                "count_if(predicted_label IS NULL)", "count(DISTINCT arch_id)", "min(index)", "max(index)").first();
        assertThat(s.getLong(0)).isEqualTo(2000);
        assertThat(s.getLong(1)).isZero();
        assertThat(Math.round(10_000 * s.getDouble(2)) / 10_000.0).isEqualTo(evaluated);
        assertThat(s.getInt(3)).isEqualTo(5);
        assertThat(s.getLong(4)).isZero();
        assertThat(s.getLong(5)).isZero();
        assertThat(s.getLong(6)).isEqualTo(1);
        assertThat(s.getLong(7)).isZero();
        assertThat(s.getLong(8)).isEqualTo(1999);
        Row sneaker = spark.read().parquet(out.toString()).where("predicted = 7").select("predicted_label").first();
        assertThat(sneaker.getString(0)).isEqualTo("Sneaker");

        // the same again is refused rather than overwritten; csv for a small output
        Commands.Result again = Commands.run("predict", "--conf", conf.toString(), "--model", model.toString(), "--input",
                DATA.toAbsolutePath().toString(), "--out", out.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void aFolderOfImagesIsScoredAndUnreadableFilesAreReportedPerFile() throws Exception {
        ImageDataset data = Datasets.load(config().data());
        ImageSet test = data.test();
        Path images = Files.createDirectories(dir.resolve("images/sub"));
        int[] picked = {0, 1, 2, 3};
        for (int i : picked) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(test.pixels(),
                    i * test.imageBytes(), (i + 1) * test.imageBytes()));
            ImageIO.write(img, "png", images.resolve("test-" + i + ".png").toFile());
        }
        BufferedImage color = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        color.setRGB(5, 5, 0xff8800);
        ImageIO.write(color, "jpeg", dir.resolve("images/color.jpg").toFile());
        Files.writeString(dir.resolve("images/notes.png"), "not an image");
        byte[] png = Files.readAllBytes(images.resolve("test-0.png"));
        Files.write(dir.resolve("images/cut.png"), java.util.Arrays.copyOf(png, png.length / 3));

        Path out = dir.resolve("image-predictions");
        Commands.Result p = Commands.run("predict", "--conf", conf.toString(), "--model", model.toString(), "--input",
                dir.resolve("images").toString(), "--out", out.toString(), "--format", "json", "--top-k", "3");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("predicted 5 of 7 images").contains("2 could not be read")
                .containsPattern("notes.png: unreadable").containsPattern("cut.png: unreadable");
        List<Row> rows = spark.read().json(out.toString()).orderBy("input").collectAsList();
        assertThat(rows).hasSize(7);
        Map<String, Row> byName = new HashMap<>();
        for (Row r : rows) {
            byName.put(r.getString(r.fieldIndex("input")).replaceAll(".*/", ""), r);
        }
        assertThat(byName.get("notes.png").getString(byName.get("notes.png").fieldIndex("error"))).startsWith("unreadable");
        assertThat(byName.get("color.jpg").isNullAt(byName.get("color.jpg").fieldIndex("error"))).isTrue();
        assertThat(byName.get("color.jpg").getList(byName.get("color.jpg").fieldIndex("top_k"))).hasSize(3);

        // the PNGs of test images get DL4J's predictions of the same images in the dataset
        SavedModel saved = SavedModel.read(new org.apache.hadoop.fs.Path(model.toUri()), new Configuration());
        Batches.Batch b = new Batches(data, 0, false).batch(test, picked, 0, picked.length, null);
        INDArray expected = saved.net().output(false, b.features())[0];
        saved.net().clear();
        for (int k = 0; k < picked.length; k++) {
            Row r = byName.get("test-" + picked[k] + ".png");
            assertThat(r.getLong(r.fieldIndex("predicted"))).isEqualTo(expected.argMax(1).getLong(k));
            assertThat(r.getDouble(r.fieldIndex("probability"))).isCloseTo(expected.getDouble(k,
                    expected.argMax(1).getLong(k)), within(1e-5));
        }

        // csv, for small outputs: a header, top_k as label:probability pairs
        Path csv = dir.resolve("image-predictions-csv");
        Commands.Result c = Commands.run("predict", "--conf", conf.toString(), "--model", model.toString(), "--input",
                dir.resolve("images").toString(), "--out", csv.toString(), "--format", "csv", "--top-k", "2");
        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = new java.util.ArrayList<>();
        try (var parts = Files.list(csv)) {
            for (Path part : parts.filter(f -> f.toString().endsWith(".csv")).toList()) {
                List<String> all = Files.readAllLines(part);
                assertThat(all.get(0)).isEqualTo("input,index,label,predicted,predicted_label,probability,top_k,error,arch_id");
                lines.addAll(all.subList(1, all.size()));
            }
        }
        assertThat(lines).hasSize(7);
        String colorLine = lines.stream().filter(l -> l.contains("color.jpg")).findFirst().orElseThrow();
        assertThat(colorLine).matches(".*,[^,:;]+:[0-9.]+;[^,:;]+:[0-9.]+,,.*");
    }

    @Test
    void aModelAndAnInputThatDoNotMatchFailBeforeTheJobNamingBoth() throws Exception {
        Path other = TestTrainers.tinyData(dir.resolve("other"), 64, 32, 16);
        Path out = dir.resolve("mismatch");
        Commands.Result p = Commands.run("predict", "--conf", conf.toString(), "--model", model.toString(), "--input",
                other.toString(), "--out", out.toString());
        assertThat(p.code()).isNotZero();
        assertThat(p.err()).contains("the model takes 28x28x1 images").contains(other.toString())
                .containsPattern("has 16x16x\\d");
        assertThat(out).doesNotExist();
    }

    static double accuracyLine(String out) {
        Matcher m = Pattern.compile("accuracy (\\d\\.\\d{4}) on (\\d+) labelled images").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
