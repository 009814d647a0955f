package io.nasnet.search;

import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The search whose table and checkpoint are kept as a release's formats (src/test/resources/formats/):
 * two rounds of {@link TestSearch}'s search "formats" on {@link TinyData}, children scored by the
 * {@link SyntheticTrainer} test double. {@code main(DIR)} writes a new fixture when a release changes
 * a format; the old ones stay, and {@link FormatUpgradeTest} continues each with the current code.
 */
final class FormatFixture {

    static final String SEARCH = "formats";

    private FormatFixture() {
    }

    static Path data(Path dir) throws IOException {
        return TinyData.write(dir.resolve("data"), 120, 40);
    }

    /** The fixture's configuration over tables under {@code dir}, {@code more} on top. */
    static SearchConfig config(Path dir, String... more) throws IOException {
        String[] all = Stream.concat(Stream.of("search.id=" + SEARCH), Stream.of(more)).toArray(String[]::new);
        return TestSearch.config(data(dir), dir, all);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path work = Files.createTempDirectory("format-fixture");
        SparkSession spark = TestSpark.local();
        new SearchJob(spark, config(work), SyntheticTrainer.factory(List.of())).run();
        spark.stop();
        for (String part : List.of("history", "ckpt")) {
            try (Stream<Path> files = Files.walk(work.resolve(part))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".crc") || name.endsWith(".lease")) {
                        continue;
                    }
                    Path to = out.resolve(work.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
        }
        System.out.println("fixture written to " + out);
    }
}
