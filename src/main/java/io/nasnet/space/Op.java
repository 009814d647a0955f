package io.nasnet.space;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The paper's 13 operations a block may apply to one of its inputs. */
public enum Op {
    IDENTITY("identity"),
    CONV_1X3_3X1("conv1x3_3x1"),
    CONV_1X7_7X1("conv1x7_7x1"),
    DIL_CONV_3X3("dil3x3"),
    AVG_POOL_3X3("avg3x3"),
    MAX_POOL_3X3("max3x3"),
    MAX_POOL_5X5("max5x5"),
    MAX_POOL_7X7("max7x7"),
    CONV_1X1("conv1x1"),
    CONV_3X3("conv3x3"),
    SEP_3X3("sep3x3"),
    SEP_5X5("sep5x5"),
    SEP_7X7("sep7x7");

    private final String token;

    Op(String token) {
        this.token = token;
    }

    /** The short name used in the text form, JSON and the history table. */
    public String token() {
        return token;
    }

    public boolean isSeparable() {
        return this == SEP_3X3 || this == SEP_5X5 || this == SEP_7X7;
    }

    /** Kernel size of the op's spatial window; 1 for identity. */
    public int kernel() {
        return switch (this) {
            case IDENTITY, CONV_1X1 -> 1;
            case DIL_CONV_3X3, AVG_POOL_3X3, MAX_POOL_3X3, CONV_3X3, SEP_3X3, CONV_1X3_3X1 -> 3;
            case MAX_POOL_5X5, SEP_5X5 -> 5;
            case MAX_POOL_7X7, SEP_7X7, CONV_1X7_7X1 -> 7;
        };
    }

    /** Parses a token ("sep3x3"), case-insensitively; an unknown token names the valid ones. */
    public static Op parse(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        for (Op op : values()) {
            if (op.token.equals(t)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op '" + token + "'; valid ops: "
                + Arrays.stream(values()).map(Op::token).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return token;
    }
}
