package io.nasnet.cli;

import io.nasnet.Slow;
import io.nasnet.surrogate.Surrogate;
import io.nasnet.surrogate.SurrogateFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nasnet benchmark} from a CSV of children: its tables, its refusals, and a re-run that continues. */
class BenchmarkCommandTest {

    static Path rows(Path dir, int architectures) throws Exception {
        StringBuilder csv = new StringBuilder("arch_id,genotype,reward,child_seconds\n");
        for (Surrogate.Sample s : SurrogateFixture.samples(architectures, 0.03, 5)) {
            csv.append(String.format(Locale.ROOT, "%s,\"%s\",%s,%s%n", s.archId(), s.genotype().text(), s.reward(),
                    s.childSeconds()));
        }
        return Files.writeString(dir.resolve("rows.csv"), csv.toString());
    }

    private static List<String> args(Path rows, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("benchmark", "--rows", rows.toString(), "--min-rows", "50",
                "--min-tau", "0.3", "--strategies", "random,evolution", "--noise", "none,proxy,share:0.1",
                "--seeds", "3", "--children", "40", "--population", "10", "--budgets", "20,40", "--threads", "1",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    @Slow
    void theBenchmarkTablesEveryStrategyAgainstRandomAndARerunContinues(@TempDir Path dir) throws Exception {
        Path rows = rows(dir, 300);
        Path out = dir.resolve("bench");
        Commands.Result r = Commands.run(args(rows, out).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("surrogate: gradient-boosted trees on 360 real children (300 architectures)")
                .contains("evolution at noise proxy: 3 searches of 40 children");
        List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
        assertThat(curves).hasSize(1 + 2 * 3 * 3 * 4).first().isEqualTo("variant,noise,seed,children,child_seconds,true_value");
        String md = Files.readString(out.resolve("benchmark.md"));
        assertThat(md).contains("| none | 0.0000 | 1.000 |").contains("## Noise share-0.1 (architecture share 0.100)")
                .containsPattern("\\| evolution \\| 0\\.\\d{4} \\(\\d(\\.5)?/3, p [0-9.]+\\) \\|")
                .contains("| strategy | beats random down to share |");
        assertThat(out.resolve("benchmark-proxy.png")).isNotEmptyFile();

        Commands.Result again = Commands.run(args(rows, out).toArray(String[]::new));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("searches of");
        assertThat(Files.readAllLines(out.resolve("curves.csv"))).as("nothing run twice").isEqualTo(curves);

        Commands.Result peer = Commands.run(args(rows, out, "--peers", "optuna-tpe").toArray(String[]::new));
        assertThat(peer.code()).isNotZero();
        assertThat(peer.err()).contains("--peers optuna-tpe: ").contains("holds no curve of it");

        // a peer's curves as its bridge appends them (here random search's, renamed), and a strategy never run
        io.nasnet.study.BenchmarkFiles.append(out.resolve("curves.csv"), io.nasnet.study.BenchmarkFiles
                .read(out.resolve("curves.csv")).stream().filter(c -> c.variant().equals("random"))
                .map(c -> new io.nasnet.study.Benchmark.Curve("optuna-tpe", c.noise(), c.seed(), c.children(),
                        c.childSeconds(), c.trueValue())).toList());
        List<String> report = args(rows, out, "--peers", "optuna-tpe", "--report-only");
        report.set(report.indexOf("random,evolution"), "random,evolution,reinforce");
        Commands.Result tables = Commands.run(report.toArray(String[]::new));
        assertThat(tables.code()).as(tables.err()).isZero();
        assertThat(tables.out()).doesNotContain("searches of");
        String withPeer = Files.readString(out.resolve("benchmark.md"));
        assertThat(withPeer).contains("Against the peer optuna-tpe after 40 children")
                .contains("| reinforce | not run |")
                .containsPattern("\\| optuna-tpe \\| 0\\.\\d{4} \\(1\\.5/3, p 1\\.000\\) \\|");
    }

    @Test
    void tooFewRowsSayHowManyThereAreAndHowManyAreNeeded(@TempDir Path dir) throws Exception {
        Commands.Result r = Commands.run(args(rows(dir, 20), dir.resolve("bench")).toArray(String[]::new));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("needs at least 50 real children and the rows hold 24");
    }
}
