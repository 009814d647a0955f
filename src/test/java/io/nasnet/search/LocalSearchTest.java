package io.nasnet.search;

import io.nasnet.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The fixture of a test class that runs searches: one embedded Spark session and one tiny dataset
 * (120 training, 40 validation images) for the whole class, stopped after it.
 */
abstract class LocalSearchTest {

    static SparkSession spark;
    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void startSpark() throws Exception {
        spark = TestSpark.local("search-test");
        data = TinyData.write(shared.resolve("data"), 120, 40);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }
}
