package io.nasnet.space;

import java.util.Locale;
import java.util.Map;

/** Published architectures, by name. */
public final class Presets {

    /**
     * NASNet-A as TF-slim's {@code nasnet_utils.py} wires it: state 0 = h_i, 1 = h_{i-1}, all
     * combines add, hand-set output lists (normal: states 1..6, reduction: states 3..6).
     */
    public static final Genotype NASNET_A = Genotype.parse(
            "normal (0 sep5x5, 1 sep3x3, add) (1 sep5x5, 1 sep3x3, add) (0 avg3x3, 1 identity, add)"
                    + " (1 avg3x3, 1 avg3x3, add) (0 sep3x3, 0 identity, add) concat 1 2 3 4 5 6"
                    + " | reduction (0 sep5x5, 1 sep7x7, add) (0 max3x3, 1 sep7x7, add) (0 avg3x3, 1 sep5x5, add)"
                    + " (3 identity, 2 avg3x3, add) (2 sep3x3, 0 max3x3, add) concat 3 4 5 6");

    private static final Map<String, Genotype> BY_NAME = Map.of("nasnet-a", NASNET_A);

    private Presets() {
    }

    /** The preset of that name (case-insensitive), or an error listing the known names. */
    public static Genotype byName(String name) {
        Genotype g = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (g == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; known: NASNet-A");
        }
        return g;
    }

    public static boolean isPreset(String name) {
        return BY_NAME.containsKey(name.toLowerCase(Locale.ROOT));
    }
}
