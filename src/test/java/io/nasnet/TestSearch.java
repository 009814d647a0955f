package io.nasnet;

import io.nasnet.search.SearchConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small search the tests share: a tiny dataset, a small controller, tiny children (N = 1, F = 2,
 * one epoch), populations of three for two rounds, every table and checkpoint under one folder.
 * Tests add or override keys ({@code "search.id=x"}, later keys win).
 */
public final class TestSearch {

    private TestSearch() {
    }

    /** The settings as {@code --set} overrides, then {@code more}. */
    public static List<String> settings(Path data, Path dir, String... more) {
        List<String> all = new ArrayList<>(List.of(
                "data.path=\"" + data + "\"", "data.validation=40",
                "history.path=\"" + dir.resolve("history") + "\"", "checkpoint.path=\"" + dir.resolve("ckpt") + "\"",
                "final.path=\"" + dir.resolve("final") + "\"", "train.checkpoint-path=\"" + dir.resolve("train") + "\"",
                "search.population=3", "search.rounds=2",
                "child.n=1", "child.f=2", "child.epochs=1", "child.batch-size=16", "child.pad-crop=0",
                "controller.hidden=16", "controller.embedding=16"));
        all.addAll(List.of(more));
        return all;
    }

    public static SearchConfig config(Path data, Path dir, String... more) {
        return SearchConfig.load(null, settings(data, dir, more));
    }

    /** The same settings as a configuration file, for the commands' {@code --conf}. */
    public static Path conf(Path file, Path data, Path dir, String... more) throws IOException {
        return Files.writeString(file, String.join("\n", settings(data, dir, more).stream()
                .map(s -> "nasnet." + s.replaceFirst("=", " = ")).toList()) + "\n");
    }
}
