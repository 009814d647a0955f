package io.nasnet.search;

import io.nasnet.TestSpark;
import io.nasnet.child.ChildResult;
import io.nasnet.child.ChildSpec;
import io.nasnet.child.ChildTrainer;
import io.nasnet.child.Dl4jTrainer;
import io.nasnet.data.ImageDataset;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A search driver process for the kill -9 test: real DL4J children, each training that ends (a whole
 * child, or a child up to a rung) appended as "round child step" to a file, so the test can count what
 * was trained across the killed process and the run that resumes it. Arguments: CONF COUNT_FILE.
 */
final class RungDriver {

    private RungDriver() {
    }

    /** Real training, every finished training recorded in {@code count}. */
    static TrainerFactory counting(Path count) {
        String file = count.toString();
        return (settings, gpu) -> new ChildTrainer() {
            private final Dl4jTrainer real = new Dl4jTrainer(settings, gpu);

            @Override
            public ChildResult train(ChildSpec spec, ImageDataset data) {
                ChildResult r = real.train(spec, data);
                record(file, spec, "whole");
                return r;
            }

            @Override
            public Progress trainUntil(ChildSpec spec, ImageDataset data, byte[] from, long untilStep) {
                Progress p = real.trainUntil(spec, data, from, untilStep);
                record(file, spec, String.valueOf(untilStep));
                return p;
            }
        };
    }

    private static void record(String file, ChildSpec spec, String until) {
        try {
            Files.writeString(Path.of(file), spec.round() + " " + spec.index() + " " + until + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        SearchConfig c = SearchConfig.load(new File(args[0]), List.of());
        SparkSession spark = TestSpark.local();
        new SearchJob(spark, c, counting(Path.of(args[1]))).run();
        spark.stop();
    }
}
