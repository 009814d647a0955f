package io.nasnet.space;

import java.util.Locale;

/** How a block merges its two op outputs: element-wise sum, or concatenation along channels. */
public enum Combine {
    ADD("add"),
    CONCAT("concat");

    private final String token;

    Combine(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Combine parse(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        for (Combine c : values()) {
            if (c.token.equals(t)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown combine '" + token + "'; valid: add, concat");
    }

    @Override
    public String toString() {
        return token;
    }
}
