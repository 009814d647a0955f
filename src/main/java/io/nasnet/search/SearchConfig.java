package io.nasnet.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.nasnet.config.ConfigException;
import io.nasnet.child.Rungs;
import io.nasnet.child.ChildSettings;
import io.nasnet.controller.Strategies;
import io.nasnet.data.DataSpec;
import io.nasnet.history.HistoryTable;
import io.nasnet.surrogate.Predictor;
import io.nasnet.train.FinalSettings;

import java.io.File;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a search run needs, read from HOCON over {@code reference.conf}. Unknown keys, values
 * of the wrong type and out-of-range values are errors naming the key.
 */
public record SearchConfig(String searchId, String strategy, int population, int rounds, int maxRounds,
                           Duration timeBudget, double childSecondsBudget, Rungs rungs, double maxFailedFraction, Duration leaseTtl,
                           int blocks, long seed, List<String> warmStart, Strategies.Settings strategies,
                           Predictor.Settings predictor,
                           ChildSettings child,
                           DataSpec data, String historyPath, HistoryTable.Format historyFormat, boolean compactHistory,
                           String historyCatalog, String checkpointPath, String sparkMaster,
                           String appName, FinalSettings train, String trainCheckpointPath, String finalPath,
                           String rendered) implements Serializable {

    private static final String ROOT = "nasnet";

    /**
     * This configuration with {@code values} set, by key under {@code nasnet.} (numbers, booleans,
     * strings; a duration as a {@link Duration}), validated as a whole: how a study makes its searches'
     * configurations, with typed values rather than {@code key=value} text.
     */
    public SearchConfig with(Map<String, ?> values) {
        Config c = ConfigFactory.parseString(rendered).atKey(ROOT);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Object v = e.getValue() instanceof Duration d ? d.toMillis() + "ms" : e.getValue();
            c = c.withValue(ROOT + "." + e.getKey(), com.typesafe.config.ConfigValueFactory.fromAnyRef(v));
        }
        return from(c);
    }

    /** A short hash of the whole configuration: the history table's {@code config_hash}. */
    public String hash() {
        return org.apache.commons.codec.digest.DigestUtils.sha256Hex(rendered).substring(0, 12);
    }

    /** Loads {@code file} (null: defaults only) with {@code key=value} overrides applied on top. */
    public static SearchConfig load(File file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!file.isFile()) {
                throw new ConfigException("configuration file " + file + " does not exist");
            }
            try {
                user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set expects key=value, got '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            String path = key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
            String value = o.substring(eq + 1).trim();
            Config set;
            try {
                set = ConfigFactory.parseString(path + " = " + value);
            } catch (com.typesafe.config.ConfigException e) {
                // not a HOCON value (a URI such as hdfs:///data, say): the text itself, as a string
                set = ConfigFactory.parseString(path + " = " + ConfigUtil.quoteString(value));
            }
            user = set.withFallback(user);
        }
        return from(user);
    }

    /** Validates {@code user} against the reference keys and reads it. */
    public static SearchConfig from(Config user) {
        Config reference = ConfigFactory.defaultReference();
        Set<String> known = keys(reference.getConfig(ROOT));
        Set<String> unknown = new TreeSet<>();
        if (user.hasPath(ROOT)) {
            for (String k : keys(user.getConfig(ROOT))) {
                if (!known.contains(k)) {
                    unknown.add(ROOT + "." + k);
                }
            }
        }
        for (Map.Entry<String, ConfigValue> e : user.root().entrySet()) {
            if (!e.getKey().equals(ROOT)) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown configuration key(s): " + String.join(", ", unknown)
                    + " (every key is listed in reference.conf)");
        }
        Config c;
        try {
            c = withPreset(user, reference).getConfig(ROOT);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage().replace("hardcoded value: ", ""), e);
        }
        try {
            return read(c);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage().replace("hardcoded value: ", ""), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /**
     * The configuration with the controller preset's values under the user's own: a user's
     * {@code controller.learning-rate} wins over {@code controller.preset}'s, which wins over the defaults.
     */
    private static Config withPreset(Config user, Config reference) {
        Config merged = user.withFallback(reference).resolve();
        String preset = merged.getString(ROOT + ".controller.preset").trim();
        String at = ROOT + ".controller.presets." + preset;
        if (!preset.matches("[A-Za-z0-9-]+") || !merged.hasPath(at)) {
            throw new ConfigException("nasnet.controller.preset: '" + preset + "' is not one of "
                    + String.join(", ", merged.getConfig(ROOT + ".controller.presets").root().keySet()));
        }
        return user.withFallback(merged.getConfig(at).atPath(ROOT + ".controller")).withFallback(reference).resolve();
    }

    private static SearchConfig read(Config c) {
        String strategy;
        try {
            strategy = Strategies.canonical(c.getString("search.strategy"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nasnet.search.strategy: " + e.getMessage(), e);
        }
        String id = c.getString("search.id");
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("nasnet.search.id: '" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        int population = positive(c, "search.population");
        int rounds = c.getInt("search.rounds");
        if (rounds < 0) {
            throw new IllegalArgumentException("nasnet.search.rounds: must be >= 0, got " + rounds);
        }
        int maxRounds = c.getInt("search.max-rounds");
        if (maxRounds < 0) {
            throw new IllegalArgumentException("nasnet.search.max-rounds: must be >= 0, got " + maxRounds);
        }
        Duration budget = c.getDuration("search.time-budget");
        Duration leaseTtl = c.getDuration("search.lease-ttl");
        if (leaseTtl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("nasnet.search.lease-ttl: must be at least 3s, got " + leaseTtl);
        }
        double maxFailedFraction = c.getDouble("search.max-failed-fraction");
        if (maxFailedFraction < 0 || maxFailedFraction > 1) {
            throw new IllegalArgumentException("nasnet.search.max-failed-fraction: must be in [0, 1], got "
                    + maxFailedFraction);
        }
        double childSeconds = c.getDouble("search.child-seconds");
        if (childSeconds < 0) {
            throw new IllegalArgumentException("nasnet.search.child-seconds: must be >= 0 (0 = no limit), got " + childSeconds);
        }
        if (rounds == 0 && budget.isZero() && childSeconds == 0) {
            throw new IllegalArgumentException("nasnet.search.rounds = 0 (unbounded) needs nasnet.search.time-budget "
                    + "or nasnet.search.child-seconds");
        }
        Rungs rungs = new Rungs(c.getInt("search.rungs"), c.getInt("search.eta"));
        try {
            rungs.requirePopulation(population);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nasnet." + e.getMessage(), e);
        }
        Strategies.Settings strategies = block(() -> Strategies.read(c));
        Predictor.Settings predictor = block(() -> Predictor.Settings.from(c));
        ChildSettings child = block(() -> ChildSettings.from(c));
        long seed = c.getLong("search.seed");
        List<String> warmStart = c.getStringList("search.warm-start").stream().map(String::trim).toList();
        for (String w : warmStart) {
            if (!w.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("nasnet.search.warm-start: '" + w + "' is not a search id");
            }
        }
        DataSpec data = block(() -> DataSpec.from(c, seed));
        FinalSettings train = block(() -> FinalSettings.from(c));
        String rendered = c.root().render(ConfigRenderOptions.concise());
        return new SearchConfig(id, strategy, population, rounds, maxRounds, budget, childSeconds, rungs, maxFailedFraction, leaseTtl, positive(c, "search.blocks"), seed,
                warmStart, strategies, predictor, child, data, c.getString("history.path"),
                historyFormat(c), c.getBoolean("history.compact"), catalog(c), c.getString("checkpoint.path"),
                c.getString("spark.master"), c.getString("spark.app-name"), train,
                c.getString("train.checkpoint-path"), c.getString("final.path"), rendered);
    }

    private static HistoryTable.Format historyFormat(Config c) {
        try {
            return HistoryTable.Format.parse(c.getString("history.format"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nasnet." + e.getMessage(), e);
        }
    }

    /** {@code history.catalog}: a database name (letters, digits, underscores), or empty for none. */
    private static String catalog(Config c) {
        String db = c.getString("history.catalog").trim();
        if (!db.isEmpty() && !db.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("nasnet.history.catalog: '" + db + "' is not a database name (letters, "
                    + "digits and underscores; empty for no catalog tables)");
        }
        return db;
    }

    /** A component's settings read by the component; its errors name their key under {@code nasnet.}. */
    private static <T> T block(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nasnet." + e.getMessage(), e);
        }
    }

    private static int positive(Config c, String key) {
        int v = c.getInt(key);
        if (v < 1) {
            throw new IllegalArgumentException("nasnet." + key + ": must be >= 1, got " + v);
        }
        return v;
    }

    private static Set<String> keys(Config c) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            out.add(e.getKey());
        }
        return out;
    }
}
