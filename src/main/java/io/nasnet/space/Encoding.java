package io.nasnet.space;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The genotype as the sequence of decisions a controller makes: for the Normal then the Reduction
 * cell, for each block, input 1, input 2, op 1, op 2, combine — 2 x 5B decisions. Block b's
 * inputs have 2 + b valid choices; the decoded cells use the paper's output rule (loose ends).
 */
public final class Encoding {

    /** What one decision chooses; each kind has its own softmax head in a controller. */
    public enum Kind {
        INPUT, OP, COMBINE
    }

    /** One position of the sequence: its kind, the block it belongs to, and how many choices are valid. */
    public record Slot(CellType cell, int block, Kind kind, int choices) {
    }

    private final int blocks;
    private final List<Slot> slots;

    public Encoding(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks per cell must be >= 1, got " + blocks);
        }
        this.blocks = blocks;
        List<Slot> s = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (int b = 0; b < blocks; b++) {
                s.add(new Slot(cell, b, Kind.INPUT, b + 2));
                s.add(new Slot(cell, b, Kind.INPUT, b + 2));
                s.add(new Slot(cell, b, Kind.OP, Op.values().length));
                s.add(new Slot(cell, b, Kind.OP, Op.values().length));
                s.add(new Slot(cell, b, Kind.COMBINE, Combine.values().length));
            }
        }
        this.slots = List.copyOf(s);
    }

    public int blocks() {
        return blocks;
    }

    /** The layout of the decisions: raised when their order or meaning changes. */
    public static final int VERSION = 1;

    /**
     * What a saved decision sequence means: the encoding's version, B, and the ops and combines in the
     * order their indices count them. A strategy's state is only ever read back in the space of the
     * same fingerprint: added or reordered ops would remap every saved decision.
     */
    public String fingerprint() {
        return "encoding v" + VERSION + ", B=" + blocks + ", ops "
                + java.util.Arrays.stream(Op.values()).map(Op::token).collect(java.util.stream.Collectors.joining(","))
                + ", combines " + java.util.Arrays.stream(Combine.values()).map(Combine::token)
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** The decision positions in the order a controller emits them. */
    public List<Slot> slots() {
        return slots;
    }

    public int length() {
        return slots.size();
    }

    /** The largest number of choices of any decision kind (the width of that head). */
    public static int width(Kind kind, int blocks) {
        return switch (kind) {
            case INPUT -> blocks + 1;
            case OP -> Op.values().length;
            case COMBINE -> Combine.values().length;
        };
    }

    public int[] encode(Genotype g) {
        if (g.blocks() != blocks) {
            throw new InvalidGenotypeException("genotype has " + g.blocks() + " blocks per cell, encoding expects " + blocks);
        }
        int[] d = new int[length()];
        int i = 0;
        for (CellType cell : CellType.values()) {
            for (Block b : g.cell(cell).blocks()) {
                d[i++] = b.input1();
                d[i++] = b.input2();
                d[i++] = b.op1().ordinal();
                d[i++] = b.op2().ordinal();
                d[i++] = b.combine().ordinal();
            }
        }
        return d;
    }

    public Genotype decode(int[] decisions) {
        if (decisions.length != length()) {
            throw new IllegalArgumentException("expected " + length() + " decisions, got " + decisions.length);
        }
        for (int i = 0; i < decisions.length; i++) {
            Slot s = slots.get(i);
            if (decisions[i] < 0 || decisions[i] >= s.choices()) {
                throw new InvalidGenotypeException(s.cell() + " cell, block " + s.block() + ", decision " + (i % 5)
                        + " (" + s.kind().name().toLowerCase() + "): choice " + decisions[i]
                        + " out of range [0, " + (s.choices() - 1) + "]");
            }
        }
        Op[] ops = Op.values();
        Combine[] combines = Combine.values();
        List<Cell> cells = new ArrayList<>();
        int i = 0;
        for (CellType cell : CellType.values()) {
            List<Block> bl = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                bl.add(new Block(decisions[i], ops[decisions[i + 2]], decisions[i + 1], ops[decisions[i + 3]],
                        combines[decisions[i + 4]]));
                i += 5;
            }
            cells.add(Cell.withLooseEnds(cell, bl));
        }
        return new Genotype(cells.get(0), cells.get(1));
    }

    /** A genotype with every decision uniform over its valid choices: the random-search baseline. */
    public Genotype random(RandomGenerator rng) {
        int[] d = new int[length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextInt(slots.get(i).choices());
        }
        return decode(d);
    }
}
