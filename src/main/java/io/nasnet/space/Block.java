package io.nasnet.space;

import java.util.Objects;

/**
 * One block of a cell: two inputs, an op applied to each, and how the two results combine.
 * Inputs index the cell's states: 0 = h_i (the previous cell's output), 1 = h_{i-1}, 2 + k = the
 * output of block k. Range checks need the block's position, so they live in {@link Cell}.
 */
public record Block(int input1, Op op1, int input2, Op op2, Combine combine) {

    public Block {
        Objects.requireNonNull(op1, "op1");
        Objects.requireNonNull(op2, "op2");
        Objects.requireNonNull(combine, "combine");
    }

    /** The same block with its two (input, op) pairs in a canonical order. */
    Block normalized() {
        int a = Integer.compare(input1, input2);
        if (a > 0 || (a == 0 && op1.ordinal() > op2.ordinal())) {
            return new Block(input2, op2, input1, op1, combine);
        }
        return this;
    }

    /** "(0 sep5x5, 1 sep3x3, add)". */
    public String text() {
        return "(" + input1 + " " + op1.token() + ", " + input2 + " " + op2.token() + ", " + combine.token() + ")";
    }
}
