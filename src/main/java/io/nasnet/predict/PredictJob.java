package io.nasnet.predict;

import io.nasnet.data.Datasets;
import io.nasnet.data.ImageSet;
import io.nasnet.train.ModelCard;
import io.nasnet.train.SavedModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Batch prediction as a Spark job: a saved model scores a dataset's test split (IDX or CIFAR-10
 * binary) or a folder of ordinary images (PNG, JPEG, read with Spark's {@code image} data source)
 * on any Hadoop FileSystem. The model goes to the executors once (a broadcast), each partition's
 * images are scored in batches, and every input gives one row ({@link #SCHEMA}): an image that
 * cannot be read gets a row saying why, and the job goes on. A dataset whose images are not the
 * model's size or channels fails before the job, naming both.
 */
public final class PredictJob {

    /** Where the images come from. */
    public enum Source {
        /** A dataset folder (IDX or CIFAR-10 binary): its test split, with the labels. */
        DATASET,
        /** A folder of images, any format Java's ImageIO decodes, in subfolders too. */
        IMAGES;

        public static Source parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown input format '" + s + "'; valid: auto, dataset, images");
            }
        }
    }

    private static final StructType TOP = new StructType(new StructField[]{
            DataTypes.createStructField("class", DataTypes.IntegerType, false),
            DataTypes.createStructField("label", DataTypes.StringType, false),
            DataTypes.createStructField("probability", DataTypes.DoubleType, false)});

    /**
     * A prediction row: the input (the image file, or the dataset and the image's index), the true
     * label where the input has one, the predicted class, its name and probability, the top k, and
     * the error of an image that could not be scored.
     */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("input", DataTypes.StringType, false),
            DataTypes.createStructField("index", DataTypes.LongType, true),
            DataTypes.createStructField("label", DataTypes.IntegerType, true),
            DataTypes.createStructField("predicted", DataTypes.IntegerType, true),
            DataTypes.createStructField("predicted_label", DataTypes.StringType, true),
            DataTypes.createStructField("probability", DataTypes.DoubleType, true),
            DataTypes.createStructField("top_k", DataTypes.createArrayType(TOP, false), true),
            DataTypes.createStructField("error", DataTypes.StringType, true),
            DataTypes.createStructField("arch_id", DataTypes.StringType, false)});

    private final SparkSession spark;
    private final SavedModel model;

    public PredictJob(SparkSession spark, SavedModel model) {
        this.spark = spark;
        this.model = model;
    }

    /** The source a path holds: a dataset if it has a dataset's files, else images. */
    public static Source detect(String path) {
        return Datasets.isDataset(path) ? Source.DATASET : Source.IMAGES;
    }

    /**
     * The predictions for {@code path}, computed when the returned rows are first used (written,
     * counted): one Spark job.
     *
     * @param batch images per forward pass
     * @param topK  classes in each row's {@code top_k}
     * @throws IllegalArgumentException if the input does not fit the model (size, channels)
     */
    public Dataset<Row> predict(String path, Source source, int batch, int topK) throws IOException {
        ModelCard card = model.card();
        ModelInput in = ModelInput.of(card);
        if (batch < 1 || topK < 1) {
            throw new IllegalArgumentException("batch size and top-k must be >= 1, got " + batch + " and " + topK);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Scorer.Item> items = source == Source.DATASET ? datasetItems(jsc, path, in)
                : imageItems(path, in);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model.net(), bytes, false);
        Broadcast<byte[]> shipped = jsc.broadcast(bytes.toByteArray());
        List<String> labels = card.labels();
        String archId = card.archId();
        int k = Math.min(topK, labels.size());
        spark.sparkContext().setJobDescription("nasnet predict: " + archId + " on " + path);
        JavaRDD<Row> rows = items.mapPartitions(it -> Scorer.score(it, shipped, in, labels, archId, batch, k));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** A dataset's test split: checked on the driver, read by each executor once, scored by index ranges. */
    private static JavaRDD<Scorer.Item> datasetItems(JavaSparkContext jsc, String path, ModelInput in) {
        ImageSet d = Datasets.testSet(path);
        if (d.channels() != in.channels() || d.height() != in.height() || d.width() != in.width()) {
            throw new IllegalArgumentException("the model takes " + in.describe() + " images; the dataset at " + path
                    + " has " + d.height() + "x" + d.width() + "x" + d.channels());
        }
        int n = d.size();
        int slices = Math.max(1, Math.min(jsc.defaultParallelism() * 4, (n + 255) / 256));
        List<Integer> slice = java.util.stream.IntStream.range(0, slices).boxed().toList();
        return jsc.parallelize(slice, slices).flatMap(s -> {
            ImageSet test = Datasets.cachedTestSet(path);
            int start = (int) ((long) s * n / slices);
            int end = (int) ((long) (s + 1) * n / slices);
            List<Scorer.Item> out = new java.util.ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                float[] x = new float[in.size()];
                in.normalize(test.pixels(), i * test.imageBytes(), x, 0);
                out.add(new Scorer.Item(path + "#" + i, (long) i, test.labels()[i], x, null));
            }
            return out.iterator();
        });
    }

    /** Image files through Spark's image data source; a file it cannot decode becomes an error row. */
    private JavaRDD<Scorer.Item> imageItems(String path, ModelInput in) {
        if (in.channels() != 1 && in.channels() != 3) {
            throw new IllegalArgumentException("the model takes " + in.describe() + " images; image files are read "
                    + "into models of 1 (gray) or 3 (RGB) channels");
        }
        Dataset<Row> images = spark.read().format("image").option("dropInvalid", false)
                .option("recursiveFileLookup", true).load(path);
        return images.select("image.origin", "image.height", "image.width", "image.nChannels", "image.data")
                .javaRDD().map(r -> {
                    String origin = r.getString(0);
                    int h = r.getInt(1);
                    if (h < 0) {
                        return new Scorer.Item(origin, null, null, null,
                                "unreadable: not an image Java's ImageIO decodes (PNG, JPEG, GIF, BMP)");
                    }
                    try {
                        float[] x = new float[in.size()];
                        in.normalize(in.planes(h, r.getInt(2), r.getInt(3), r.getAs(4)), 0, x, 0);
                        return new Scorer.Item(origin, null, null, x, null);
                    } catch (RuntimeException e) {
                        return new Scorer.Item(origin, null, null, null, "unreadable: " + e.getMessage());
                    }
                });
    }
}
