package io.nasnet.child;

import io.nasnet.train.TrainCheckpoints;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Model files saved by release 0.1.0 (before the layers moved into their own packages) load and
 * give the probabilities they gave then: DL4J stores each layer's class name in the file.
 */
class SavedModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"nasnet-a-fused", "nasnet-a-separate"})
    void aModelOfTheFirstReleaseLoadsAndPredictsAsItDid(String name) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/models/0.1.0");
        ComputationGraph net = TrainCheckpoints.load(new Path(dir.resolve(name + ".zip").toUri()), new Configuration());
        INDArray out = net.output(false, ModelFixtures.input())[0];
        String[] expected = Files.readString(dir.resolve(name + ".csv")).trim().split("\n");
        assertThat(out.rows()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            String[] p = expected[i].split(",");
            assertThat(out.columns()).isEqualTo(p.length);
            for (int j = 0; j < p.length; j++) {
                assertThat(out.getDouble(i, j)).as("image %d, class %d", i, j).isCloseTo(Double.parseDouble(p[j]),
                        within(1e-5));
            }
        }
        // the classes of this project the file names (kept beside it): each must still be found
        assertThat(Files.readAllLines(dir.resolve(name + ".classes"))).isNotEmpty()
                .contains(name.endsWith("fused") ? "io.nasnet.child.ReluConvBn" : "io.nasnet.child.Relu");
    }
}
