package io.nasnet.cli;

import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.search.SearchJob;
import io.nasnet.search.TestTrainers;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** train, evaluate and nas_final from the command line, on an architecture found by a search. */
class TrainCommandTest {

    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path conf;
    static HistoryRecord found;

    @BeforeAll
    static void search() throws Exception {
        spark = TestSpark.local();
        Path data = TestTrainers.tinyData(dir.resolve("data"), 384, 96, 16);
        conf = TestSearch.conf(dir.resolve("t.conf"), data, dir, "search.id=t", "search.population=4",
                "search.rounds=1", "data.validation=64", "train.n=1", "train.f=4", "train.epochs=2",
                "train.learning-rate=0.05");
        SearchConfig c = SearchConfig.load(conf.toFile(), List.of());
        new SearchJob(spark, c, TestTrainers.synthetic()).run();
        found = new HistoryTable(spark, c.historyPath()).records("t").get(0);
    }

    static double accuracy(String out) {
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d{4})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Slow
    void trainAFoundArchitectureThenEvaluateItsModelAndQueryNasFinal() {
        Commands.Result t = Commands.run("train", "--conf", conf.toString(), "--genotype",
                found.archId(), "--label-smoothing", "0.1");
        assertThat(t.code()).as(t.err()).isZero();
        double trained = accuracy(t.out());
        assertThat(trained).isGreaterThan(0.5);
        Path model = dir.resolve("train").resolve(found.archId() + "-cifar-n1-f4").resolve("model.zip");
        assertThat(t.out()).contains("model: " + model);

        Commands.Result e = Commands.run("evaluate", "--conf", conf.toString(), "--model",
                model.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(accuracy(e.out())).isEqualTo(trained);

        // the model says where it came from
        Commands.Result show = Commands.run("show", "--conf", conf.toString(), model.toString());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("architecture: " + found.archId()).contains("search:       t\n")
                .contains("labelSmoothing=0.1").contains("data:         checksum " + found.dataChecksum())
                .containsPattern("trained by:   nasnet-spark \\S+, commit (unknown|[0-9a-f]{7,})");
        Commands.Result notAModel = Commands.run("show", "--conf", conf.toString(), dir.resolve("nothing.zip").toString());
        assertThat(notAModel.code()).isNotZero();
        assertThat(notAModel.err()).contains("is neither an architecture id (16 hex digits) nor a model file");

        Commands.Result q = Commands.run("sql", "--conf", conf.toString(), "--format", "csv",
                "SELECT f.arch_id, f.epochs, round(f.test_accuracy, 4) AS acc, h.round FROM nas_final f "
                        + "JOIN nas_history h ON f.arch_id = h.arch_id WHERE h.child_index = " + found.childIndex());
        assertThat(q.code()).as(q.err()).isZero();
        List<String[]> rows = q.out().lines().skip(1).map(l -> l.split(",")).toList();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)[0]).isEqualTo(found.archId());
        assertThat(rows.get(0)[1]).isEqualTo("2");
        assertThat(Double.parseDouble(rows.get(0)[2])).as("test accuracy in nas_final").isEqualTo(trained);
        assertThat(rows.get(0)[3]).isEqualTo("0");

        // run again under the same run id: the finished checkpoints are picked up, nothing is retrained
        Commands.Result again = Commands.run("train", "--conf", conf.toString(), "--genotype",
                found.archId(), "--label-smoothing", "0.1");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("resumed after epoch 2");
        assertThat(accuracy(again.out())).isEqualTo(trained);
    }

    @Test
    void anArchitectureOfTheHistoryTableExportsUntrained() throws Exception {
        Path file = dir.resolve("found.onnx");
        Commands.Result x = Commands.run("export", "--conf", conf.toString(), "--genotype", found.archId(), "--untrained",
                "--out", file.toString());
        assertThat(x.code()).as(x.err()).isZero();
        onnx.Onnx.ModelProto m = onnx.Onnx.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(file));
        assertThat(m.getMetadataPropsList()).anySatisfy(p -> {
            assertThat(p.getKey()).isEqualTo("nasnet.genotype");
            assertThat(p.getValue()).isEqualTo(found.genotype());
        });
        assertThat(m.getGraph().getName()).isEqualTo("nasnet-" + found.archId());
    }

    @Test
    void anUnknownArchitectureOrAMalformedGenotypeIsAClearError() {
        Commands.Result unknown = Commands.run("train", "--conf", conf.toString(), "--genotype",
                "0123456789abcdef");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no architecture '0123456789abcdef'");
        Commands.Result bad = Commands.run("train", "--conf", conf.toString(), "--genotype",
                "normal (0 sep9x9, 1 sep3x3, add) concat 2 | reduction (0 sep3x3, 1 sep3x3, add) concat 2");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("unknown op 'sep9x9'");
    }
}
