package io.nasnet.controller;

import com.typesafe.config.Config;
import io.nasnet.space.Encoding;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one registry of strategies by name: configuration, checkpoints and the command line find a
 * strategy here and nowhere else. Adding a strategy is its class (with its settings record) and one
 * entry in {@link #TYPES}: how its settings are read from their configuration block, how it is made
 * and restored, and which configured settings its state keeps (so that a continued search refuses a
 * change of them).
 */
public final class Strategies {

    private Strategies() {
    }

    /** Every registered strategy's settings by name, each read by its own entry ({@link #read}). */
    public record Settings(Map<String, Object> byStrategy) implements Serializable {
        public Settings {
            byStrategy = Map.copyOf(byStrategy);
        }

        /** The settings the strategy {@code name} is made with. */
        public Object of(String name) {
            return byStrategy.get(canonical(name));
        }
    }

    /**
     * A kind of strategy. {@code settings}: reads and validates its block of the {@code nasnet}
     * configuration; {@code kept}: those settings by configuration key, as its state keeps them
     * ({@link Strategy#keptSettings}).
     */
    private record Type<S>(Function<Config, S> settings, Maker<S> create, Restorer restore,
                           Function<S, Map<String, Object>> kept) {

        Strategy make(Encoding encoding, Object settings, long seed) {
            return create.make(encoding, typed(settings), seed);
        }

        Map<String, Object> configured(Object settings) {
            return kept.apply(typed(settings));
        }

        @SuppressWarnings("unchecked")
        private S typed(Object settings) {
            return (S) settings;
        }
    }

    @FunctionalInterface
    private interface Maker<S> {
        Strategy make(Encoding encoding, S settings, long seed);
    }

    @FunctionalInterface
    private interface Restorer {
        Strategy restore(Encoding encoding, byte[] state);
    }

    private static final Map<String, Type<?>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("ppo", policyGradient(PolicyGradient.Method.PPO));
        TYPES.put("reinforce", policyGradient(PolicyGradient.Method.REINFORCE));
        TYPES.put(RandomSearch.NAME, new Type<>(c -> List.of() /* it has none */, (encoding, none, seed) -> new RandomSearch(encoding, seed),
                (encoding, state) -> {
                    if (state.length != Long.BYTES) {
                        throw new IllegalArgumentException("corrupt random-search checkpoint: " + state.length + " bytes");
                    }
                    return RandomSearch.restore(encoding, state);
                }, none -> Map.of()));
        TYPES.put(Evolution.NAME, new Type<>(Evolution.Settings::forSearch, Evolution::new,
                (encoding, state) -> Evolution.restore(state), Evolution::keyed));
    }

    private static Type<PolicyGradient.Settings> policyGradient(PolicyGradient.Method method) {
        return new Type<>(PolicyGradient.Settings::from,
                (encoding, settings, seed) -> new PolicyGradient(method, encoding, settings, seed),
                (encoding, state) -> PolicyGradient.restore(state), PolicyGradient::keyed);
    }

    /** Every strategy's settings, each read and validated by its entry from the {@code nasnet} configuration. */
    public static Settings read(Config c) {
        Map<String, Object> out = new LinkedHashMap<>();
        TYPES.forEach((name, type) -> out.put(name, type.settings().apply(c)));
        return new Settings(out);
    }

    /** The known names, in the order the documentation lists them. */
    public static List<String> names() {
        return List.copyOf(TYPES.keySet());
    }

    /** The canonical form of a strategy's name; an unknown name is an error listing the known ones. */
    public static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!TYPES.containsKey(n)) {
            throw new IllegalArgumentException("unknown strategy '" + name.trim() + "'; the known strategies are "
                    + String.join(", ", names()));
        }
        return n;
    }

    public static Strategy create(String name, Encoding encoding, Settings settings, long seed) {
        String n = canonical(name);
        return TYPES.get(n).make(encoding, settings.of(n), seed);
    }

    /**
     * The settings {@code restored} keeps that {@code now} configures otherwise: key, then what the
     * strategy has and what the configuration says.
     */
    public static Map<String, List<Object>> changed(Strategy restored, Settings now) {
        String n = canonical(restored.name());
        Map<String, Object> configured = TYPES.get(n).configured(now.of(n));
        Map<String, List<Object>> out = new LinkedHashMap<>();
        restored.keptSettings().forEach((k, was) -> {
            if (!java.util.Objects.equals(was, configured.get(k))) {
                out.put(k, java.util.Arrays.asList(was, configured.get(k)));
            }
        });
        return out;
    }

    /** The strategy a checkpoint of {@code name} holds. */
    public static Strategy restore(String name, Encoding encoding, byte[] checkpoint) {
        String n = canonical(name);
        Strategy s = TYPES.get(n).restore().restore(encoding, checkpoint);
        if (!s.name().equals(n)) {
            throw new IllegalArgumentException("checkpoint holds a " + s.name() + " strategy, not " + n);
        }
        return s;
    }
}
