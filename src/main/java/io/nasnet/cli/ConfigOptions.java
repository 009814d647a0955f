package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code --conf} and {@code --set}, shared by the commands that read the configuration. */
final class ConfigOptions {

    @Option(names = "--conf", description = "HOCON configuration file (keys in reference.conf)")
    File conf;

    @Option(names = "--set", description = "override a key: --set child.epochs=2 (repeatable)")
    List<String> overrides = new ArrayList<>();

    /**
     * Adds a command-line option's value as a {@code key=value} override, when the option was given;
     * strings are quoted (paths, ids), numbers and durations are not.
     */
    static void set(List<String> sets, String key, Object value) {
        if (value != null) {
            sets.add(key + "=" + (value instanceof String str ? com.typesafe.config.ConfigUtil.quoteString(str) : value));
        }
    }

    SearchConfig load(List<String> more) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(more);
        return SearchConfig.load(conf, all);
    }
}
