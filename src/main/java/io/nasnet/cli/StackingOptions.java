package io.nasnet.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** {@code --stack}, {@code --n} and {@code --f}: the network a found cell is stacked into (the {@code nasnet.train} keys). */
final class StackingOptions {

    @Option(names = "--stack", description = "cifar or imagenet (nasnet.train.stacking)")
    String stack;

    @Option(names = "--n", description = "normal cells per stack (nasnet.train.n)")
    Integer n;

    @Option(names = "--f", description = "initial filters (nasnet.train.f)")
    Integer f;

    /** The options given, as configuration overrides. */
    void addTo(List<String> sets) {
        ConfigOptions.set(sets, "train.stacking", stack);
        ConfigOptions.set(sets, "train.n", n);
        ConfigOptions.set(sets, "train.f", f);
    }
}
