package io.nasnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code jobs/...} command line quoted in README.md and docs/*.md, in code blocks and in inline
 * code, and in the comments of conf/ and jobs/ files, goes through the real script: jobs/submit-yarn.sh with spark-submit recorded, jobs/search-local.sh
 * with jobs/nasnet recorded, and the nasnet command line each hands on (or that jobs/nasnet and
 * jobs/submit-local.sh are given) parsed and its configuration loaded. A documented command can no
 * longer fail on its arguments.
 */
class DocumentedCommandsTest {

    /** A command as the docs quote it: where, the environment it sets, the script and its arguments. */
    record Quoted(String where, Map<String, String> env, List<String> words) {
        String script() {
            return words.get(0);
        }

        List<String> args() {
            return words.subList(1, words.size());
        }

        @Override
        public String toString() {
            return where + ": " + String.join(" ", words);
        }
    }

    static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");
    static final Pattern INLINE = Pattern.compile("`(jobs/[^`]+)`");

    static List<Path> documents() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The commands of one Markdown text. */
    static List<Quoted> commands(String where, String markdown) {
        List<Quoted> out = new ArrayList<>();
        Matcher fence = FENCE.matcher(markdown);
        while (fence.find()) {
            String code = fence.group(1).replaceAll("\\\\\\n\\s*", " ");
            for (String line : code.split("\n")) {
                out.addAll(parse(where, line));
            }
        }
        Matcher inline = INLINE.matcher(markdown.replaceAll("(?ms)^```.*?^```", ""));
        while (inline.find()) {
            String text = inline.group(1);
            if (text.contains(" ") && !text.contains("…")) {
                out.addAll(parse(where, text));
            }
        }
        return out;
    }

    static final Pattern IN_COMMENT = Pattern.compile("^\\s*#(?:\\s+|.*:\\s+)(jobs/[a-z0-9-]+(\\.sh)?\\s.*)$");

    /**
     * The commands that configuration files and the scripts' own headers suggest in their comments
     * at a line's start or after a colon ({@code # Override any key: jobs/submit-yarn.sh --set child.epochs=10}).
     */
    static List<Quoted> commentCommands(String where, String text) {
        List<Quoted> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = IN_COMMENT.matcher(line);
            if (m.matches()) {
                out.addAll(parse(where, m.group(1)));
            }
        }
        return out;
    }

    /** The jobs/ commands of one shell line: env assignments, then the script; comments and redirections cut. */
    static List<Quoted> parse(String where, String line) {
        List<Quoted> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String w : words(line)) {
            if (w.equals("&&") || w.equals(";") || w.equals("|")) {
                quoted(where, words).ifPresent(out::add);
                words = new ArrayList<>();
            } else {
                words.add(w);
            }
        }
        quoted(where, words).ifPresent(out::add);
        return out;
    }

    private static java.util.Optional<Quoted> quoted(String where, List<String> words) {
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        while (i < words.size() && words.get(i).matches("[A-Z_][A-Z0-9_]*=.*")) {
            String w = words.get(i++);
            env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        // "jobs/x.sh: ..." is a script's output quoted, not a command
        if (i >= words.size() || !words.get(i).startsWith("jobs/") || words.get(i).endsWith(":")
                || words.stream().anyMatch(w -> w.contains("[") || w.contains("...") || w.contains("…"))) {
            // not a command, or a syntax ([ARGS]) or an elision (...) rather than a command line
            return java.util.Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        for (String w : words.subList(i, words.size())) {
            if (w.startsWith(">") || w.startsWith("2>")) {
                break;
            }
            cmd.add(w);
        }
        return java.util.Optional.of(new Quoted(where, env, cmd));
    }

    /** Shell words: quotes, backslashes, $VAR expanded from this JVM's view of the environment, # comments. */
    static List<String> words(String line) {
        Map<String, String> vars = Map.of("JAVA_HOME", System.getProperty("java.home"), "PWD",
                new File("").getAbsolutePath(), "HOME", System.getProperty("user.home"));
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
                continue;
            }
            if (quote == 0 && c == '#' && w == null) {
                break;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == '\\' && quote != '\'' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
            } else if (c == '$' && quote != '\'') {
                Matcher m = Pattern.compile("\\{?([A-Z_][A-Z0-9_]*)}?").matcher(line).region(i + 1, line.length());
                if (m.lookingAt() && vars.containsKey(m.group(1))) {
                    w.append(vars.get(m.group(1)));
                    i = m.end() - 1;
                } else {
                    w.append(c);
                }
            } else {
                w.append(c);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    @Test
    void theExtractionFindsCommandsWithTheirEnvironmentAndCutsCommentsAndRedirections() {
        List<Quoted> q = commands("x.md", """
                Text `jobs/nasnet sql "SELECT 1"` and `jobs/submit-yarn.sh [command args]…`.
                ```bash
                jobs/local-cluster.sh start          # a comment
                EXECUTORS=2 GPUS_PER_EXECUTOR=0 \\
                  jobs/submit-yarn.sh search --set 'data.path=hdfs:///d' >> log 2>&1
                cd /opt/x && jobs/test.sh
                hdfs -put data /data
                ```
                """);
        assertThat(q).extracting(Quoted::words).containsExactly(
                List.of("jobs/local-cluster.sh", "start"),
                List.of("jobs/submit-yarn.sh", "search", "--set", "data.path=hdfs:///d"),
                List.of("jobs/test.sh"),
                List.of("jobs/nasnet", "sql", "SELECT 1"));
        assertThat(q.get(1).env()).containsExactly(Map.entry("EXECUTORS", "2"), Map.entry("GPUS_PER_EXECUTOR", "0"));
        assertThat(commentCommands("x.conf", """
                # Override any key on the command line: jobs/submit-yarn.sh --set child.epochs=10
                # A search (jobs/submit-yarn.sh ships this file)
                #   jobs/submit-yarn.sh [SPARK-SUBMIT OPTIONS --] [COMMAND] [ARGS]
                #   jobs/submit-yarn.sh search ...   # elided
                #   jobs/search-local.sh --rounds 5    # five rounds
                nasnet { }
                """)).extracting(Quoted::words).containsExactly(
                List.of("jobs/submit-yarn.sh", "--set", "child.epochs=10"),
                List.of("jobs/search-local.sh", "--rounds", "5"));
    }

    @Test
    void everyDocumentedJobsCommandRunsThroughItsScript(@TempDir Path dir) throws Exception {
        ScriptSandbox box = ScriptSandbox.create(dir, ScriptSandbox.CPU_JAR, ScriptSandbox.CUDA_JAR);
        List<Quoted> all = new ArrayList<>();
        for (Path doc : documents()) {
            all.addAll(commands(doc.toString(), Files.readString(doc)));
        }
        for (String folder : List.of("conf", "jobs")) {
            try (Stream<Path> s = Files.list(Path.of(folder))) {
                for (Path f : s.filter(p -> !p.toString().endsWith(".json")).sorted().toList()) {
                    all.addAll(commentCommands(f.toString(), Files.readString(f)));
                }
            }
        }
        assertThat(all).extracting(Quoted::script).contains("jobs/submit-yarn.sh", "jobs/nasnet",
                "jobs/search-local.sh", "jobs/local-cluster.sh");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Quoted q : all) {
            try {
                check(box, q);
                checked++;
            } catch (AssertionError | RuntimeException e) {
                failures.add(q + "\n    " + e.getMessage().replace("\n", "\n    "));
            }
        }
        assertThat(failures).as("documented commands that fail on their arguments").isEmpty();
        System.out.println(checked + " documented jobs/ commands checked");
    }

    static void check(ScriptSandbox box, Quoted q) throws Exception {
        assertThat(new File(q.script()).canExecute()).as("the script %s exists and runs", q.script()).isTrue();
        switch (q.script()) {
            case "jobs/submit-yarn.sh" -> {
                ScriptSandbox.Run r = box.run(q.words(), q.env());
                if (r.code() != 0) {
                    throw new AssertionError("exit " + r.code() + ": " + r.output());
                }
                List<String> files = List.of(r.option("--files").split(","));
                CommandLineCheck.check(r.application(), f -> files.stream().filter(p -> new File(p).getName()
                        .equals(f.getName())).findFirst().map(p -> box.root().resolve(p).toFile())
                        .orElseThrow(() -> new AssertionError("--conf " + f + " is not shipped by --files " + files)));
            }
            case "jobs/search-local.sh" -> {
                ScriptSandbox.Run r = box.run(q.words(), q.env());
                if (r.code() != 0 || r.argv().isEmpty()) {
                    throw new AssertionError("exit " + r.code() + ": " + r.output());
                }
                CommandLineCheck.check(r.argv(), f -> f);
            }
            case "jobs/nasnet", "jobs/submit-local.sh" -> CommandLineCheck.check(q.args(), f -> f);
            case "jobs/nightly.sh" -> {
                List<String> search = new ArrayList<>(List.of("search", "--time-budget", "8h"));
                search.addAll(q.args());
                CommandLineCheck.check(search, f -> f);
            }
            case "jobs/local-cluster.sh" -> assertThat(q.args()).hasSize(1).first().isIn("start", "status", "stop");
            case "jobs/test.sh" -> assertThat(q.args()).isSubsetOf("--fast").hasSizeLessThanOrEqualTo(1);
            default -> throw new AssertionError("no check for " + q.script());
        }
    }
}
