package io.nasnet.search;

import io.nasnet.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The fixture of a test class that runs searches: one embedded Spark session and one tiny dataset
 * (120 training, 40 validation images) for the whole class; the session is the tests' shared one.
 */
abstract class LocalSearchTest {

    static SparkSession spark;
    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void startSpark() throws Exception {
        spark = TestSpark.local();
        data = TinyData.write(shared.resolve("data"), 120, 40);
    }
}
