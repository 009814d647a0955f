package io.nasnet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DatasetsTest {

    @TempDir
    Path dir;

    private DataSpec spec(double validation) {
        return new DataSpec("file://" + dir, DataSpec.Format.AUTO, validation, 0, 3);
    }

    @Test
    void aMissingDebianDatasetNamesThePackageToInstall(@org.junit.jupiter.api.io.TempDir Path dir) {
        // the package's folder under another root, present but empty, and missing altogether
        Path empty = dir.resolve("usr/share/datasets/fashion-mnist");
        empty.toFile().mkdirs();
        for (Path p : List.of(empty, dir.resolve("gone/usr/share/datasets/fashion-mnist"))) {
            assertThatThrownBy(() -> Datasets.check(new DataSpec(p.toString(), DataSpec.Format.AUTO, 1000, 0, 1)))
                    .isInstanceOf(DatasetException.class).hasMessageContaining(p.toString())
                    .hasMessageContaining("Debian's package dataset-fashion-mnist")
                    .hasMessageContaining("apt-get install dataset-fashion-mnist");
        }
        assertThatThrownBy(() -> Datasets.check(new DataSpec(dir.resolve("other").toString(), DataSpec.Format.AUTO,
                1000, 0, 1))).isInstanceOf(DatasetException.class).message().doesNotContain("Debian");
    }

    @Test
    void theFullFashionMnistOfDebiansPackageReadsEndToEnd() {
        Path full = Path.of("/usr/share/datasets/fashion-mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed here (jobs/test.sh installs it where it may)");
        ImageDataset d = Datasets.load(new DataSpec(full.toString(), DataSpec.Format.AUTO, 1000, 0, 1));
        assertThat(d.train().size()).isEqualTo(59_000);
        assertThat(d.validation().size()).isEqualTo(1000);
        assertThat(d.test().size()).isEqualTo(10_000);
        assertThat(d.classes()).isEqualTo(10);
        assertThat(List.of(d.channels(), d.height(), d.width())).containsExactly(1, 28, 28);
        // the conf that names it reads it, its test set whole
        var c = io.nasnet.search.SearchConfig.load(new java.io.File("conf/fashion-full.conf"), List.of());
        assertThat(c.data().path()).isEqualTo(full.toString());
        assertThat(Datasets.check(c.data())).hasSize(16);
    }

    @Test
    void readsGzippedIdxAndHoldsOutASeededValidationSet() throws IOException {
        DatasetFiles.idx(dir, "train", 50, 4, 3, true);
        DatasetFiles.idx(dir, "t10k", 20, 4, 3, true);
        ImageDataset d = Datasets.load(spec(10));
        assertThat(d.train().size()).isEqualTo(40);
        assertThat(d.validation().size()).isEqualTo(10);
        assertThat(d.test().size()).isEqualTo(20);
        assertThat(new int[]{d.channels(), d.height(), d.width()}).containsExactly(1, 4, 3);
        assertThat(d.test().labels()[13]).isEqualTo(3);
        assertThat(d.test().pixels()[5 * 12 + 7] & 0xff).isEqualTo(12);
        // train and validation partition the 50 images: every pixel pattern appears exactly once
        int[] firstPixels = new int[50];
        for (int i = 0; i < 40; i++) {
            firstPixels[i] = d.train().pixels()[i * 12] & 0xff;
        }
        for (int i = 0; i < 10; i++) {
            firstPixels[40 + i] = d.validation().pixels()[i * 12] & 0xff;
        }
        Arrays.sort(firstPixels);
        for (int i = 0; i < 50; i++) {
            assertThat(firstPixels[i]).isEqualTo(i);
        }
        assertThat(Datasets.load(spec(10)).validation().pixels()).isEqualTo(d.validation().pixels());
        DataSpec otherSeed = new DataSpec("file://" + dir, DataSpec.Format.IDX, 10, 0, 4);
        assertThat(Datasets.load(otherSeed).validation().pixels()).isNotEqualTo(d.validation().pixels());
    }

    @Test
    void readsPlainIdxAndAFractionalHoldOut() throws IOException {
        DatasetFiles.idx(dir, "train", 40, 2, 2, false);
        DatasetFiles.idx(dir, "t10k", 5, 2, 2, false);
        ImageDataset d = Datasets.load(spec(0.25));
        assertThat(d.validation().size()).isEqualTo(10);
        assertThat(d.train().size()).isEqualTo(30);
    }

    @Test
    void readsCifar10Batches() throws IOException {
        for (int b = 1; b <= 5; b++) {
            DatasetFiles.write(dir.resolve("data_batch_" + b + ".bin"), DatasetFiles.cifar(4, b), false);
        }
        DatasetFiles.write(dir.resolve("test_batch.bin"), DatasetFiles.cifar(3, 0), false);
        ImageDataset d = Datasets.load(spec(5));
        assertThat(d.name()).isEqualTo("cifar10");
        assertThat(d.train().size() + d.validation().size()).isEqualTo(20);
        assertThat(new int[]{d.channels(), d.height(), d.width()}).containsExactly(3, 32, 32);
        ImageSet test = d.test();
        assertThat(test.labels()).containsExactly(0, 1, 2);
        // image 2, green channel, pixel 10 = (2 + 7 + 10) mod 256
        assertThat(test.pixels()[2 * 3072 + 1024 + 10] & 0xff).isEqualTo(19);
    }

    @Test
    void standardizesWithTrainingStatistics() throws IOException {
        DatasetFiles.idx(dir, "train", 60, 5, 5, true);
        DatasetFiles.idx(dir, "t10k", 10, 5, 5, true);
        ImageDataset d = Datasets.load(spec(10));
        Batches batches = new Batches(d, 0, false);
        int[] all = new int[d.train().size()];
        Arrays.setAll(all, i -> i);
        Batches.Batch b = batches.batch(d.train(), all, 0, all.length, null);
        assertThat(b.features().meanNumber().doubleValue()).isCloseTo(0.0, within(1e-4));
        assertThat(b.features().stdNumber().doubleValue()).isCloseTo(1.0, within(0.02));
        assertThat(b.labels().sum(1).minNumber().doubleValue()).isEqualTo(1.0);
    }

    @Test
    void augmentationCropsAndFlipsWithinPadding() {
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (i * 10);
        }
        ImageSet one = new ImageSet(px, new int[]{0}, 1, 4, 4);
        ImageDataset d = new ImageDataset("t", one, one, one, List.of("a", "b"), new float[]{0f}, new float[]{1f});
        Batches flipOnly = new Batches(d, 0, true);
        Random rng = new Random(1);
        boolean sawFlip = false;
        for (int i = 0; i < 20; i++) {
            float[] x = flipOnly.batch(one, new int[]{0}, 0, 1, rng).features().data().asFloat();
            if (x[0] != 0f) {
                assertThat(x[0]).isCloseTo(30 / 255f, within(1e-6f));   // first row mirrored
                sawFlip = true;
            }
        }
        assertThat(sawFlip).isTrue();
        Batches crop = new Batches(d, 1, false);
        float[] x = crop.batch(one, new int[]{0}, 0, 1, new Random(5)).features().data().asFloat();
        float sum = 0;
        for (float v : x) {
            sum += v;
        }
        assertThat(sum).isLessThanOrEqualTo(1200 / 255f + 1e-4f);   // shifting in zeros never adds
    }

    // --- corrupt input: each stops with the file and the byte offset, nothing half-loaded ---

    /** Replaces a file's bytes with {@code change} applied to them. */
    private static void corrupt(Path file, java.util.function.UnaryOperator<byte[]> change) throws IOException {
        Files.write(file, change.apply(Files.readAllBytes(file)));
    }

    @Test
    void truncatedIdxImagesNameFileAndOffset() throws IOException {
        DatasetFiles.idx(dir, "train", 20, 4, 4, false);
        DatasetFiles.idx(dir, "t10k", 5, 4, 4, false);
        corrupt(dir.resolve("train-images-idx3-ubyte"), b -> Arrays.copyOf(b, 16 + 7 * 16 + 3));
        assertThatThrownBy(() -> Datasets.load(spec(5)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte at byte " + (16 + 7 * 16 + 3))
                .hasMessageContaining("truncated")
                .hasMessageContaining("after image 7");
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        DatasetFiles.idx(dir, "train", 200, 8, 8, true);
        DatasetFiles.idx(dir, "t10k", 5, 8, 8, true);
        corrupt(dir.resolve("train-images-idx3-ubyte.gz"), b -> Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> Datasets.load(spec(5)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz");
    }

    @Test
    void badMagicNumberIsReported() throws IOException {
        DatasetFiles.idx(dir, "train", 20, 4, 4, false);
        DatasetFiles.idx(dir, "t10k", 5, 4, 4, false);
        corrupt(dir.resolve("t10k-labels-idx1-ubyte"), b -> ByteBuffer.wrap(b).putInt(0, 0x00000803).array());
        assertThatThrownBy(() -> Datasets.load(spec(5)))
                .hasMessageContaining("t10k-labels-idx1-ubyte at byte 0: bad magic number 0x00000803, expected 0x00000801");
    }

    @Test
    void idxLabelOutOfRangeNamesItsOffset() throws IOException {
        DatasetFiles.idx(dir, "train", 20, 4, 4, false);
        DatasetFiles.idx(dir, "t10k", 5, 4, 4, false);
        corrupt(dir.resolve("train-labels-idx1-ubyte"), b -> {
            b[8 + 12] = 10;
            return b;
        });
        assertThatThrownBy(() -> Datasets.load(spec(5)))
                .hasMessageContaining("train-labels-idx1-ubyte at byte 20: label 10 out of range [0, 9]");
    }

    @Test
    void cifarWrongRecordSizeNamesTheCutRecord() throws IOException {
        for (int b = 1; b <= 5; b++) {
            DatasetFiles.write(dir.resolve("data_batch_" + b + ".bin"), DatasetFiles.cifar(4, b), false);
        }
        DatasetFiles.write(dir.resolve("test_batch.bin"), Arrays.copyOf(DatasetFiles.cifar(3, 0), 2 * 3073 + 100), false);
        assertThatThrownBy(() -> Datasets.load(spec(5)))
                .hasMessageContaining("test_batch.bin at byte 6146")
                .hasMessageContaining("record 2 is cut short");
    }

    @Test
    void cifarLabelOutOfRangeNamesTheRecord() throws IOException {
        for (int b = 1; b <= 5; b++) {
            byte[] bytes = DatasetFiles.cifar(4, b);
            if (b == 3) {
                bytes[2 * 3073] = (byte) 200;
            }
            DatasetFiles.write(dir.resolve("data_batch_" + b + ".bin"), bytes, false);
        }
        DatasetFiles.write(dir.resolve("test_batch.bin"), DatasetFiles.cifar(3, 0), false);
        assertThatThrownBy(() -> Datasets.load(spec(5)))
                .hasMessageContaining("data_batch_3.bin at byte 6146: record 2 has label 200, out of range [0, 9]");
    }

    @Test
    void missingFolderOrFileSaysWhich() throws IOException {
        assertThatThrownBy(() -> Datasets.load(spec(5))).hasMessageContaining("no dataset in");
        DatasetFiles.idx(dir, "train", 20, 4, 4, false);
        assertThatThrownBy(() -> Datasets.load(spec(5))).hasMessageContaining("missing dataset file")
                .hasMessageContaining("t10k-images-idx3-ubyte.gz");
    }

    @Test
    void shippedSubsetIsRealFashionMnist() {
        ImageDataset d = Datasets.load(new DataSpec("data/fashion-mnist-small", DataSpec.Format.AUTO, 0.1, 0, 1));
        assertThat(d.train().size()).isEqualTo(9000);
        assertThat(d.validation().size()).isEqualTo(1000);
        assertThat(d.test().size()).isEqualTo(2000);
        assertThat(new int[]{d.height(), d.width(), d.channels()}).containsExactly(28, 28, 1);
        int[] counts = new int[10];
        for (int l : d.test().labels()) {
            counts[l]++;
        }
        assertThat(Arrays.stream(counts).min().getAsInt()).isGreaterThan(150);
    }

    @Test
    void aShapeIsReadFromTheHeadersAloneAndIsTheLoadedDatasetsShape() {
        for (DataSpec spec : List.of(new DataSpec("data/fashion-mnist-small", DataSpec.Format.AUTO, 0.1, 0, 1),
                new DataSpec("data/fashion-mnist-small", DataSpec.Format.IDX, 500, 3000, 1))) {
            ImageDataset d = Datasets.load(spec);
            DataShape shape = Datasets.shape(spec);
            assertThat(shape).isEqualTo(new DataShape(d.channels(), d.height(), d.width(), d.classes(), d.train().size(),
                    d.validation().size(), d.test().size()));
            assertThat(shape.bytes()).isEqualTo((long) d.train().pixels().length + d.validation().pixels().length
                    + d.test().pixels().length);
        }
        // CIFAR-10's shape is its format's: nothing is read, so a folder this machine cannot reach is no obstacle
        DataShape cifar = Datasets.shape(new DataSpec("hdfs://nowhere.invalid:8020/data/cifar", DataSpec.Format.CIFAR10,
                5000, 0, 1));
        assertThat(cifar).isEqualTo(new DataShape(3, 32, 32, 10, 45_000, 5_000, 10_000));
        ImageDataset probe = cifar.synthetic(64, 16, 7);
        assertThat(new int[]{probe.train().size(), probe.validation().size(), probe.channels(), probe.height(),
                probe.width(), probe.classes()}).containsExactly(64, 16, 3, 32, 32, 10);
        // a folder without the IDX files is the data's failure, not the configuration's
        assertThatThrownBy(() -> Datasets.shape(new DataSpec(dir.toString(), DataSpec.Format.IDX, 5, 0, 1)))
                .isInstanceOf(DatasetException.class);
    }
}
