package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one registry of strategies by name: configuration, checkpoints and the command line find a
 * strategy here and nowhere else. Adding a strategy is its class, its settings in {@link Settings}
 * and one line in {@link #TYPES}.
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
