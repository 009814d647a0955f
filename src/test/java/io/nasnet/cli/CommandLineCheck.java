package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import picocli.CommandLine;

import java.io.File;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Checks a nasnet command line without running it: picocli parses it as {@link Main} would, and the
 * configuration it names loads with its {@code --set} keys and its options applied. What fails here
 * is what would fail on the cluster before any child trains.
 */
final class CommandLineCheck {

    private CommandLineCheck() {
    }

    /**
     * The command's configuration; {@code conf} maps the {@code --conf} file as given to the file that
     * holds it (the driver reads it from its working directory, where --files put it).
     */
    static SearchConfig check(List<String> args, UnaryOperator<File> conf) {
        CommandLine.ParseResult parsed = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub == null) {
            throw new AssertionError("no command in " + args);
        }
        CommandLine.Model.CommandSpec mixin = sub.commandSpec().mixins().get("options");
        if (mixin == null) {
            throw new AssertionError(sub.commandSpec().name() + " reads no configuration");
        }
        ConfigOptions options = (ConfigOptions) mixin.userObject();
        if (options.conf != null) {
            options.conf = conf.apply(options.conf);
        }
        return sub.commandSpec().userObject() instanceof SearchCommand search ? search.config()
                : options.load(List.of());
    }
}
