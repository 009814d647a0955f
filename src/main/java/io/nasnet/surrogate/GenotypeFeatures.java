package io.nasnet.surrogate;

import io.nasnet.space.Block;
import io.nasnet.space.Cell;
import io.nasnet.space.CellType;
import io.nasnet.space.Combine;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;

import java.util.ArrayList;
import java.util.List;

/**
 * A genotype as the predictor's feature vector, per cell (normal, then reduction): how often each
 * op is used; how often each combine; which state each input of each block takes (one-hot); and a
 * path encoding after BANANAS (White, Neiswanger, Savani, AAAI 2021): the number of paths from each
 * cell input (h_{i-1}, h_i) through one op, or through two ops of chained blocks, to the cell's
 * output, by their ops. Longer paths are left out (truncated), as BANANAS truncates its encoding.
 * Last, the cell's shape: how many states its output concatenates (its width: the channels a cell
 * of F filters outputs) and its depth (the longest chain of blocks from an input to the output).
 */
public final class GenotypeFeatures {

    private static final int OPS = Op.values().length;
    private static final int STATES = 7; // h_{i-1}, h_i and five blocks

    private GenotypeFeatures() {
    }

    /** Features of one cell of {@code blocks} blocks (at most 5). */
    static int perCell() {
        return OPS + Combine.values().length + 5 * 2 * STATES + 2 * OPS + 2 * OPS * OPS + 2;
    }

    public static int size() {
        return 2 * perCell();
    }

    public static double[] of(Genotype g) {
        double[] f = new double[size()];
        int at = 0;
        for (CellType type : CellType.values()) {
            cell(g.cell(type), f, at);
            at += perCell();
        }
        return f;
    }

    /** The index of each feature's name, in the order of {@link #of}: op:normal:sep3x3, path2:reduction:1:sep3x3>avg3x3, ... */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (CellType type : CellType.values()) {
            String c = type.token();
            for (Op op : Op.values()) {
                out.add("op:" + c + ":" + op.token());
            }
            for (Combine k : Combine.values()) {
                out.add("combine:" + c + ":" + k.token());
            }
            for (int b = 0; b < 5; b++) {
                for (int j = 1; j <= 2; j++) {
                    for (int s = 0; s < STATES; s++) {
                        out.add("input:" + c + ":block" + b + ".input" + j + "=" + s);
                    }
                }
            }
            for (int s = 0; s < 2; s++) {
                for (Op op : Op.values()) {
                    out.add("path1:" + c + ":" + s + ":" + op.token());
                }
            }
            for (int s = 0; s < 2; s++) {
                for (Op a : Op.values()) {
                    for (Op b : Op.values()) {
                        out.add("path2:" + c + ":" + s + ":" + a.token() + ">" + b.token());
                    }
                }
            }
            out.add("shape:" + c + ":outputs");
            out.add("shape:" + c + ":depth");
        }
        return out;
    }

    private static void cell(Cell cell, double[] f, int at) {
        List<Block> blocks = cell.blocks();
        if (blocks.size() > 5) {
            throw new IllegalArgumentException("the predictor's features take cells of at most 5 blocks, not " + blocks.size());
        }
        int inputsAt = at + OPS + Combine.values().length;
        int path1At = inputsAt + 5 * 2 * STATES;
        int path2At = path1At + 2 * OPS;
        int shapeAt = path2At + 2 * OPS * OPS;
        int[] depth = new int[2 + blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            depth[b + 2] = 1 + Math.max(depth[blocks.get(b).input1()], depth[blocks.get(b).input2()]);
        }
        f[shapeAt] = cell.concat().size();
        f[shapeAt + 1] = cell.concat().stream().mapToInt(st -> depth[st]).max().orElse(0);
        for (int b = 0; b < blocks.size(); b++) {
            Block k = blocks.get(b);
            f[at + k.op1().ordinal()]++;
            f[at + k.op2().ordinal()]++;
            f[at + OPS + k.combine().ordinal()]++;
            f[inputsAt + (b * 2) * STATES + k.input1()] = 1;
            f[inputsAt + (b * 2 + 1) * STATES + k.input2()] = 1;
        }
        for (int state : cell.concat()) {
            if (state < 2) {
                continue;
            }
            Block last = blocks.get(state - 2);
            for (int j = 0; j < 2; j++) {
                int from = j == 0 ? last.input1() : last.input2();
                Op op = j == 0 ? last.op1() : last.op2();
                if (from < 2) {
                    f[path1At + from * OPS + op.ordinal()]++;
                } else {
                    Block before = blocks.get(from - 2);
                    for (int i = 0; i < 2; i++) {
                        int source = i == 0 ? before.input1() : before.input2();
                        Op first = i == 0 ? before.op1() : before.op2();
                        if (source < 2) {
                            f[path2At + (source * OPS + first.ordinal()) * OPS + op.ordinal()]++;
                        }
                    }
                }
            }
        }
    }
}
