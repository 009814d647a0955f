package io.nasnet.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A figure quoted in README.md or docs/ agrees with the benchmark output it cites. Two ways to cite:
 * a link whose text holds the figure and whose target is the output ({@code [240](search-quality/
 * benchmark/benchmark.md)}), and a marker {@code <!-- figures: search-quality/test/study.md -->}
 * before a paragraph or table, every figure of which comes from that output. A figure is a number
 * outside backticks (thousands separators dropped); it agrees when the output holds the same number.
 */
class QuotedFiguresTest {

    static final Pattern LINK = Pattern.compile("\\[([^\\]]*\\d[^\\]]*)\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    static final Pattern MARKER = Pattern.compile("<!-- figures: (\\S+) -->\\n((?:.+\\n)+)");
    static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|(?<![\\w.])\\d+(?:\\.\\d+)?");

    record Quote(String where, String text, Path output) {
    }

    /** Every figure of the text that its output does not hold. */
    static List<String> disagreeing(Quote q) throws Exception {
        Set<String> held = numbers(Files.readString(q.output()));
        List<String> out = new ArrayList<>();
        for (String n : numbers(q.text().replaceAll("`[^`]*`", " ").replaceAll("\\]\\([^)]*\\)", "]"))) {
            if (!held.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    static Set<String> numbers(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            out.add(m.group().replace(",", ""));
        }
        return out;
    }

    static List<Quote> quotes(Path doc, String markdown) {
        List<Quote> out = new ArrayList<>();
        Path dir = doc.toAbsolutePath().getParent();
        Matcher l = LINK.matcher(markdown);
        while (l.find()) {
            Path target = dir.resolve(l.group(2)).normalize();
            if (isOutput(target)) {
                out.add(new Quote(doc + ": [" + l.group(1) + "]", l.group(1), target));
            }
        }
        Matcher m = MARKER.matcher(markdown);
        while (m.find()) {
            Path target = dir.resolve(m.group(1)).normalize();
            assertThat(target).as(doc + " cites " + m.group(1)).exists();
            out.add(new Quote(doc + ": the block after <!-- figures: " + m.group(1) + " -->", m.group(2), target));
        }
        return out;
    }

    /** A benchmark's output: what a bench command wrote under docs/search-quality/. */
    static boolean isOutput(Path p) {
        return p.startsWith(Path.of("docs/search-quality").toAbsolutePath()) && Files.isRegularFile(p)
                && (p.toString().endsWith(".md") || p.toString().endsWith(".csv"));
    }

    @Test
    void everyQuotedFigureIsInTheOutputItCites() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Quote> all = new ArrayList<>();
        for (Path d : docs) {
            all.addAll(quotes(d, Files.readString(d)));
        }
        assertThat(all).as("quoted figures").hasSizeGreaterThan(10);
        List<String> wrong = new ArrayList<>();
        for (Quote q : all) {
            List<String> d = disagreeing(q);
            if (!d.isEmpty()) {
                wrong.add(q.where() + " quotes " + d + ", which " + q.output() + " does not hold");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aFigureThatDisagreesWithItsOutputIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path output = Files.writeString(dir.resolve("out.md"), "| random | 0.2434 | 1000 | p < 0.001 |\n");
        Quote right = new Quote("x", "random search's 0.2434 at 1,000 children (`nasnet benchmark --seeds 100`)", output);
        Quote wrong = new Quote("x", "random search's 0.2443 at 1,000 children", output);
        assertThat(disagreeing(right)).isEmpty();
        assertThat(disagreeing(wrong)).containsExactly("0.2443");
        List<Quote> q = quotes(Path.of("docs/x.md"), "see [0.2434](search-quality/benchmark/benchmark.md) and "
                + "[the table](search-quality/benchmark/benchmark.md)\n\n<!-- figures: search-quality/test/study.md -->\n"
                + "| a | 0.148 |\n| b | 0.922 |\n\nnot this 99.99\n");
        assertThat(q).extracting(Quote::text).containsExactly("0.2434", "| a | 0.148 |\n| b | 0.922 |\n");
    }
}
