package io.nasnet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jars a user deploys hold the product only: the benchmarks ({@code io.nasnet.bench}) and the
 * test doubles live in the test sources and stay out. Runs after {@code mvn -Pcluster package}, on
 * the plain jar and the cluster jar.
 */
class ProductJarIT {

    @Test
    void theProductJarsHoldNoBenchmarkAndNoTestClass() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jars = files.filter(f -> f.getFileName().toString().matches("nasnet-spark-.*\\.jar")).sorted().toList();
        }
        assertThat(jars).extracting(j -> j.getFileName().toString()).contains("nasnet-spark-cluster.jar");
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                List<String> names = j.stream().map(e -> e.getName()).toList();
                assertThat(names).as(jar.toString()).contains("io/nasnet/cli/Main.class");
                assertThat(names).as(jar.toString())
                        .noneMatch(n -> n.startsWith("io/nasnet/bench/"))
                        .noneMatch(n -> n.equals("io/nasnet/search/SyntheticTrainer.class"))
                        .noneMatch(n -> n.endsWith("Test.class") && n.startsWith("io/nasnet/"));
            }
        }
    }
}
