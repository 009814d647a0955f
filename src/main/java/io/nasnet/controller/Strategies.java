package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.util.Locale;

/** Creates a strategy by its configured name, or restores one from its checkpoint bytes. */
public final class Strategies {

    private Strategies() {
    }

    /** "ppo", "reinforce" or "random". */
    public static Strategy create(String name, Encoding encoding, PolicyGradient.Settings settings, long seed) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals(RandomSearch.NAME)) {
            return new RandomSearch(encoding, seed);
        }
        return new PolicyGradient(PolicyGradient.Method.parse(n), encoding, settings, seed);
    }

    /** The strategy a checkpoint of {@code name} holds. */
    public static Strategy restore(String name, Encoding encoding, byte[] checkpoint) {
        if (name.trim().equalsIgnoreCase(RandomSearch.NAME)) {
            if (checkpoint.length != Long.BYTES) {
                throw new IllegalArgumentException("corrupt random-search checkpoint: " + checkpoint.length + " bytes");
            }
            return RandomSearch.restore(encoding, checkpoint);
        }
        Strategy s = PolicyGradient.restore(checkpoint);
        if (!s.name().equalsIgnoreCase(name.trim())) {
            throw new IllegalArgumentException("checkpoint holds a " + s.name() + " controller, not " + name);
        }
        return s;
    }
}
