package io.nasnet.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A cell: B blocks and the list of states concatenated as its output. States are numbered
 * 0 = h_i, 1 = h_{i-1}, 2..B+1 = the blocks' outputs. Every malformed cell is rejected with a
 * message naming the cell, the block and the field.
 */
public record Cell(CellType type, List<Block> blocks, List<Integer> concat) {

    public Cell {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(blocks, type + " cell: blocks");
        Objects.requireNonNull(concat, type + " cell: concat");
        blocks = List.copyOf(blocks);
        concat = List.copyOf(concat);
        if (blocks.isEmpty()) {
            throw new InvalidGenotypeException(type + " cell: needs at least one block");
        }
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            if (block == null) {
                throw new InvalidGenotypeException(type + " cell, block " + b + ": missing");
            }
            checkInput(type, b, "input1", block.input1());
            checkInput(type, b, "input2", block.input2());
        }
        int states = blocks.size() + 2;
        if (concat.isEmpty()) {
            throw new InvalidGenotypeException(type + " cell, concat: must list at least one state");
        }
        int previous = -1;
        for (Integer s : concat) {
            if (s == null || s < 0 || s >= states) {
                throw new InvalidGenotypeException(type + " cell, concat: state " + s
                        + " out of range [0, " + (states - 1) + "]");
            }
            if (s <= previous) {
                throw new InvalidGenotypeException(type + " cell, concat: states must be distinct and ascending, got "
                        + concat);
            }
            previous = s;
        }
    }

    private static void checkInput(CellType type, int b, String field, int input) {
        if (input < 0 || input > b + 1) {
            throw new InvalidGenotypeException(type + " cell, block " + b + ", " + field + ": state " + input
                    + " out of range [0, " + (b + 1) + "] (0 = h_i, 1 = h_{i-1}, 2+k = block k)");
        }
    }

    /** A cell whose output is the paper's rule: every block output that no block consumes. */
    public static Cell withLooseEnds(CellType type, List<Block> blocks) {
        return new Cell(type, blocks, looseEnds(blocks));
    }

    /** Block states (2..B+1) that no block reads, in ascending order. */
    public static List<Integer> looseEnds(List<Block> blocks) {
        TreeSet<Integer> unused = new TreeSet<>();
        for (int b = 0; b < blocks.size(); b++) {
            unused.add(b + 2);
        }
        for (Block block : blocks) {
            unused.remove(block.input1());
            unused.remove(block.input2());
        }
        return new ArrayList<>(unused);
    }

    /** Number of states: the two cell inputs plus one per block. */
    public int stateCount() {
        return blocks.size() + 2;
    }

    /** "normal (0 sep5x5, 1 sep3x3, add) ... concat 1 2 3". */
    public String text() {
        StringBuilder sb = new StringBuilder(type.token());
        for (Block block : blocks) {
            sb.append(' ').append(block.text());
        }
        sb.append(" concat");
        for (int s : concat) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }

    Cell normalized() {
        return new Cell(type, blocks.stream().map(Block::normalized).toList(), concat);
    }
}
