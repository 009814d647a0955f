package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one registry of strategies by name: configuration, checkpoints and the command line find a
 * strategy here and nowhere else. Adding a strategy is its class, its settings in {@link Settings}
 * and one entry in {@link #TYPES}: how it is made, restored, and which configured settings its state
 * keeps (so that a continued search refuses a change of them).
 */
public final class Strategies {

    private Strategies() {
    }

    /** Every strategy's settings, each from its own configuration block. */
    public record Settings(PolicyGradient.Settings controller, Evolution.Settings evolution) {
    }

    /** How a strategy is made new and restored from its checkpoint bytes. */
    private interface Type {
        Strategy create(Encoding encoding, Settings settings, long seed);

        Strategy restore(Encoding encoding, byte[] state);

        /** The configured settings a strategy of this type would keep in its state, by key ({@link Strategy#keptSettings}). */
        default Map<String, Object> configured(Settings settings) {
            return Map.of();
        }
    }

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("ppo", policyGradient(PolicyGradient.Method.PPO));
        TYPES.put("reinforce", policyGradient(PolicyGradient.Method.REINFORCE));
        TYPES.put(RandomSearch.NAME, new Type() {
            @Override
            public Strategy create(Encoding encoding, Settings settings, long seed) {
                return new RandomSearch(encoding, seed);
            }

            @Override
            public Strategy restore(Encoding encoding, byte[] state) {
                if (state.length != Long.BYTES) {
                    throw new IllegalArgumentException("corrupt random-search checkpoint: " + state.length + " bytes");
                }
                return RandomSearch.restore(encoding, state);
            }
        });
        TYPES.put(Evolution.NAME, new Type() {
            @Override
            public Strategy create(Encoding encoding, Settings settings, long seed) {
                return new Evolution(encoding, settings.evolution(), seed);
            }

            @Override
            public Strategy restore(Encoding encoding, byte[] state) {
                return Evolution.restore(state);
            }

            @Override
            public Map<String, Object> configured(Settings settings) {
                return Evolution.keyed(settings.evolution());
            }
        });
    }

    private static Type policyGradient(PolicyGradient.Method method) {
        return new Type() {
            @Override
            public Strategy create(Encoding encoding, Settings settings, long seed) {
                return new PolicyGradient(method, encoding, settings.controller(), seed);
            }

            @Override
            public Strategy restore(Encoding encoding, byte[] state) {
                return PolicyGradient.restore(state);
            }

            @Override
            public Map<String, Object> configured(Settings settings) {
                return PolicyGradient.keyed(settings.controller());
            }
        };
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
        return TYPES.get(canonical(name)).create(encoding, settings, seed);
    }

    /**
     * The settings {@code restored} keeps that {@code now} configures otherwise: key, then what the
     * strategy has and what the configuration says.
     */
    public static Map<String, List<Object>> changed(Strategy restored, Settings now) {
        Map<String, Object> configured = TYPES.get(canonical(restored.name())).configured(now);
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
        Strategy s = TYPES.get(n).restore(encoding, checkpoint);
        if (!s.name().equals(n)) {
            throw new IllegalArgumentException("checkpoint holds a " + s.name() + " strategy, not " + n);
        }
        return s;
    }
}
