package io.nasnet.data;

import org.apache.hadoop.fs.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads a {@link DataSpec} into an {@link ImageDataset}, checking every file fully before use. */
public final class Datasets {

    private static final String[] IDX_NAMES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private static final Map<DataSpec, Loaded<ImageDataset>> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Loaded<ImageSet>> TEST_CACHE = new ConcurrentHashMap<>();

    /** What was loaded of a dataset, with the length and modification time of each of its files then. */
    private record Loaded<T>(T value, List<String> stamps) {
    }

    private Datasets() {
    }

    /**
     * Loaded once per JVM and spec, what each Spark executor does however many tasks it runs, and
     * loaded again when a file changed since (an executor that outlives a run, as on a long-lived
     * cluster, never trains on yesterday's data). Each call looks at the files' lengths and times, so
     * a file gone from this executor's view fails the task here, not later.
     */
    public static ImageDataset cached(DataSpec spec) {
        return cached(CACHE, spec, locate(spec.path(), spec.format()), () -> load(spec));
    }

    /** As {@link #cached(DataSpec)}, the test split alone of the dataset in {@code path} ({@link #testSet(String)}). */
    public static ImageSet cachedTestSet(String path) {
        return cached(TEST_CACHE, path, locate(path, DataSpec.Format.AUTO), () -> testSet(path));
    }

    private static <K, T> T cached(Map<K, Loaded<T>> cache, K key, Located files, java.util.function.Supplier<T> load) {
        List<String> now = stamps(files.paths());
        return cache.compute(key, (k, old) -> old != null && old.stamps().equals(now) ? old
                : new Loaded<>(load.get(), now)).value();
    }

    /**
     * The test split only (CIFAR-10's test batch, IDX's t10k files) of the dataset in {@code path}, its
     * format told from its files, read and checked: what prediction scores, whatever split a search uses.
     */
    public static ImageSet testSet(String path) {
        Located files = locate(path, DataSpec.Format.AUTO);
        List<Path> f = files.paths();
        return files.format() == DataSpec.Format.CIFAR10 ? CifarReader.read(f.get(5), 10)
                : IdxReader.read(f.get(2), f.get(3), 10);
    }

    private static List<String> stamps(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path p : files) {
            try {
                org.apache.hadoop.fs.FileStatus s = p.getFileSystem(TaskHadoop.conf())
                        .getFileStatus(p);
                out.add(p + ":" + s.getLen() + ":" + s.getModificationTime());
            } catch (java.io.FileNotFoundException e) {
                throw new DatasetException("missing dataset file " + p, e);
            } catch (java.io.IOException e) {
                throw new DatasetException("cannot reach " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public static ImageDataset load(DataSpec spec) {
        Located files = locate(spec.path(), spec.format());
        ImageSet trainVal;
        ImageSet test;
        String name;
        List<Path> f = files.paths();
        if (files.format() == DataSpec.Format.CIFAR10) {
            List<ImageSet> batches = new ArrayList<>();
            for (Path batch : f.subList(0, 5)) {
                batches.add(CifarReader.read(batch, 10));
            }
            trainVal = ImageSet.concat(batches);
            test = CifarReader.read(f.get(5), 10);
            name = "cifar10";
        } else {
            trainVal = IdxReader.read(f.get(0), f.get(1), 10);
            test = IdxReader.read(f.get(2), f.get(3), 10);
            name = new Path(spec.path()).getName();
        }
        ImageDataset d = ImageDataset.split(name, trainVal, test, labels(spec, 10), spec.validation(),
                spec.seed());
        if (spec.trainLimit() > 0 && spec.trainLimit() < d.train().size()) {
            d = new ImageDataset(d.name(), d.train().head(spec.trainLimit()), d.validation(), d.test(), d.labels(),
                    d.mean(), d.std());
        }
        return d;
    }

    /**
     * A dataset's shape without its images: CIFAR-10's is the format's own (no file is read), IDX's is
     * in the images files' 16-byte headers. What a gateway needs to size executors, where it may be
     * unable to read a whole dataset, or any of it (then the format says it).
     */
    public static DataShape shape(DataSpec spec) {
        int total;
        int test;
        int channels;
        int height;
        int width;
        if (spec.format() == DataSpec.Format.CIFAR10) {
            total = 5 * CifarReader.IMAGES_PER_BATCH;
            test = CifarReader.IMAGES_PER_BATCH;
            channels = 3;
            height = 32;
            width = 32;
        } else {
            Located files = locate(spec.path(), spec.format());
            if (files.format() == DataSpec.Format.CIFAR10) {
                return shape(new DataSpec(spec.path(), DataSpec.Format.CIFAR10, spec.validation(), spec.trainLimit(),
                        spec.seed()));
            }
            java.nio.ByteBuffer train = IdxReader.imagesHeader(files.paths().get(0));
            java.nio.ByteBuffer t10k = IdxReader.imagesHeader(files.paths().get(2));
            total = train.getInt(4);
            test = t10k.getInt(4);
            channels = 1;
            height = train.getInt(8);
            width = train.getInt(12);
        }
        int held = ImageDataset.heldOut(spec.validation(), total);
        int trainImages = total - held;
        if (spec.trainLimit() > 0 && spec.trainLimit() < trainImages) {
            trainImages = spec.trainLimit();
        }
        return new DataShape(channels, height, width, 10, trainImages, held, test);
    }

    /**
     * The names of a dataset's classes: the lines of {@code labels.txt} in its folder, else of CIFAR-10's
     * {@code batches.meta.txt}, else the class numbers.
     *
     * @throws DatasetException if the file names another number of classes
     */
    public static List<String> labels(DataSpec spec, int classes) {
        Path dir = new Path(spec.path());
        for (String file : List.of("labels.txt", "batches.meta.txt")) {
            Path p = new Path(dir, file);
            if (FileBytes.exists(p)) {
                List<String> names = new String(FileBytes.read(p), java.nio.charset.StandardCharsets.UTF_8)
                        .lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
                if (names.size() != classes) {
                    throw new DatasetException(p + " names " + names.size() + " classes, the dataset has " + classes);
                }
                return names;
            }
        }
        return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    /**
     * Reads and checks the whole dataset (headers, sizes, every image) and returns a checksum of its
     * files: what the driver does before a search's first Spark job, so that a missing or corrupt file
     * fails in seconds, and what the rows record of the data they were trained on.
     */
    public static String check(DataSpec spec) {
        load(spec);
        java.util.StringJoiner all = new java.util.StringJoiner(",");
        for (Path p : locate(spec.path(), spec.format()).paths()) {
            all.add(p.getName() + ":" + FileBytes.sha256(p));
        }
        return org.apache.commons.codec.digest.DigestUtils.sha256Hex(all.toString()).substring(0, 16);
    }

    /** A dataset's format and its files: CIFAR-10's five training batches then the test batch, or IDX's four files. */
    private record Located(DataSpec.Format format, List<Path> paths) {
    }

    private static Located locate(String path, DataSpec.Format given) {
        Path dir = new Path(path);
        DataSpec.Format format = given == DataSpec.Format.AUTO ? detect(dir) : given;
        List<Path> paths = new ArrayList<>();
        if (format == DataSpec.Format.CIFAR10) {
            for (int i = 1; i <= 5; i++) {
                paths.add(required(dir, "data_batch_" + i + ".bin"));
            }
            paths.add(required(dir, "test_batch.bin"));
        } else {
            for (String name : IDX_NAMES) {
                paths.add(idx(dir, name));
            }
        }
        return new Located(format, paths);
    }

    /** Whether {@code path} is a folder holding a dataset (CIFAR-10 or IDX files). */
    public static boolean isDataset(String path) {
        try {
            detect(new Path(path));
            return true;
        } catch (DatasetException e) {
            return false;
        }
    }

    private static DataSpec.Format detect(Path dir) {
        if (FileBytes.exists(new Path(dir, "data_batch_1.bin"))) {
            return DataSpec.Format.CIFAR10;
        }
        if (FileBytes.exists(new Path(dir, IDX_NAMES[0])) || FileBytes.exists(new Path(dir, IDX_NAMES[0] + ".gz"))) {
            return DataSpec.Format.IDX;
        }
        throw new DatasetException("no dataset in " + dir + ": expected CIFAR-10 (data_batch_1.bin ...) or IDX files ("
                + IDX_NAMES[0] + "[.gz] ...)" + installHint(dir));
    }

    /** Folders that Debian's dataset packages install, and the package of each. */
    private static final java.util.Map<String, String> DEBIAN_PACKAGES = java.util.Map.of(
            "/usr/share/datasets/fashion-mnist", "dataset-fashion-mnist");

    /**
     * What to install when {@code dir} is a Debian dataset package's folder, on this root or under
     * another (a mounted image): "" otherwise.
     */
    static String installHint(Path dir) {
        String path = dir.toUri().getPath().replaceAll("/+$", "");
        return DEBIAN_PACKAGES.entrySet().stream().filter(e -> path.endsWith(e.getKey())).findFirst()
                .map(e -> "; it is Debian's package " + e.getValue() + ": install it (apt-get install " + e.getValue()
                        + "; jobs/nasnet does when it may)").orElse("");
    }

    private static Path idx(Path dir, String base) {
        Path plain = new Path(dir, base);
        if (FileBytes.exists(plain)) {
            return plain;
        }
        return required(dir, base + ".gz");
    }

    private static Path required(Path dir, String file) {
        Path p = new Path(dir, file);
        if (!FileBytes.exists(p)) {
            throw new DatasetException("missing dataset file " + p + installHint(dir));
        }
        return p;
    }
}
