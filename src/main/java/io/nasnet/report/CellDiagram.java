package io.nasnet.report;


import io.nasnet.space.Block;
import io.nasnet.space.Cell;
import io.nasnet.space.Combine;
import io.nasnet.space.Op;

import org.apache.commons.text.StringEscapeUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cell drawn as in the paper's figures: the inputs h_{i-1} and h_i at the bottom, each block's two
 * ops above its inputs and its combine node above them, and the output concat, h_{i+1}, on top.
 * The same graph is written as a standalone SVG (drawn here, no Graphviz needed) and as DOT.
 */
public final class CellDiagram {

    private static final int OP_W = 108;
    private static final int OP_H = 30;
    private static final int IN_W = 76;
    private static final int OUT_W = 150;
    private static final int NODE_H = 34;
    private static final int COMBINE_R = 20;
    private static final int BLOCK_GAP = 36;
    private static final int ROW_H = 70;
    /** Extra room above the inputs, where their edges fan out to many ops. */
    private static final int FAN_H = 50;
    private static final int MARGIN = 24;

    enum Kind { INPUT, OP, ADD, CONCAT, OUTPUT }

    /** A node, centred at (x, y) in SVG coordinates (y grows downwards). */
    record Node(String id, Kind kind, String label, double x, double y, double w, double h) {
        double top() {
            return y - h / 2;
        }

        double bottom() {
            return y + h / 2;
        }
    }

    record Edge(Node from, Node to) {
    }

    private final Cell cell;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final double width;
    private final double height;

    private CellDiagram(Cell cell) {
        this.cell = cell;
        List<Block> blocks = cell.blocks();
        int[] depth = new int[cell.stateCount()];
        int maxDepth = 0;
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            depth[b + 2] = 1 + Math.max(depth[block.input1()], depth[block.input2()]);
            maxDepth = Math.max(maxDepth, depth[b + 2]);
        }
        int widest = 1;
        for (int d = 1; d <= maxDepth; d++) {
            int n = 0;
            for (int b = 0; b < blocks.size(); b++) {
                n += depth[b + 2] == d ? 1 : 0;
            }
            widest = Math.max(widest, n);
        }
        double slot = 2 * OP_W + 12 + BLOCK_GAP;
        width = Math.max(widest * slot - BLOCK_GAP, 3 * IN_W + OUT_W) + 2 * MARGIN;
        int rows = 2 * maxDepth + 2;
        height = (rows - 1) * ROW_H + FAN_H + NODE_H + 2 * MARGIN;

        Node[] state = new Node[cell.stateCount()];
        double inputY = y(0, rows);
        state[1] = add(new Node("in1", Kind.INPUT, "h_{i-1}", width / 3, inputY, IN_W, NODE_H));
        state[0] = add(new Node("in0", Kind.INPUT, "h_{i}", 2 * width / 3, inputY, IN_W, NODE_H));
        for (int d = 1; d <= maxDepth; d++) {
            List<Integer> atDepth = new ArrayList<>();
            for (int b = 0; b < blocks.size(); b++) {
                if (depth[b + 2] == d) {
                    atDepth.add(b);
                }
            }
            double rowWidth = atDepth.size() * slot - BLOCK_GAP;
            double left = (width - rowWidth) / 2;
            for (int k = 0; k < atDepth.size(); k++) {
                int b = atDepth.get(k);
                Block block = blocks.get(b);
                double cx = left + k * slot + (slot - BLOCK_GAP) / 2;
                double opY = y(2 * d - 1, rows);
                Node op1 = add(new Node("b" + b + "_op1", Kind.OP, label(block.op1()), cx - OP_W / 2.0 - 6, opY,
                        OP_W, OP_H));
                Node op2 = add(new Node("b" + b + "_op2", Kind.OP, label(block.op2()), cx + OP_W / 2.0 + 6, opY,
                        OP_W, OP_H));
                Node combine = block.combine() == Combine.ADD
                        ? add(new Node("b" + b, Kind.ADD, "add", cx, y(2 * d, rows), 2 * COMBINE_R, 2 * COMBINE_R))
                        : add(new Node("b" + b, Kind.CONCAT, "concat", cx, y(2 * d, rows), 72, OP_H));
                edges.add(new Edge(state[block.input1()], op1));
                edges.add(new Edge(state[block.input2()], op2));
                edges.add(new Edge(op1, combine));
                edges.add(new Edge(op2, combine));
                state[b + 2] = combine;
            }
        }
        Node out = add(new Node("out", Kind.OUTPUT, "h_{i+1} = concat", width / 2, y(rows - 1, rows), OUT_W, NODE_H));
        for (int s : cell.concat()) {
            edges.add(new Edge(state[s], out));
        }
    }

    /** Lays out one cell. */
    public static CellDiagram of(Cell cell) {
        return new CellDiagram(cell);
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    List<Edge> edges() {
        return List.copyOf(edges);
    }

    private Node add(Node node) {
        nodes.add(node);
        return node;
    }

    /** Row 0 at the bottom, as in the paper. */
    private double y(int row, int rows) {
        return MARGIN + NODE_H / 2.0 + (rows - 1 - row) * ROW_H + (row == 0 ? FAN_H : 0);
    }

    /** The op as the paper's figures name it. */
    static String label(Op op) {
        return switch (op) {
            case IDENTITY -> "identity";
            case CONV_1X3_3X1 -> "1x3 then 3x1";
            case CONV_1X7_7X1 -> "1x7 then 7x1";
            case DIL_CONV_3X3 -> "3x3 dil conv";
            case AVG_POOL_3X3 -> "avg 3x3";
            case MAX_POOL_3X3 -> "max 3x3";
            case MAX_POOL_5X5 -> "max 5x5";
            case MAX_POOL_7X7 -> "max 7x7";
            case CONV_1X1 -> "conv 1x1";
            case CONV_3X3 -> "conv 3x3";
            case SEP_3X3 -> "sep 3x3";
            case SEP_5X5 -> "sep 5x5";
            case SEP_7X7 -> "sep 7x7";
        };
    }

    private static String fill(Node n) {
        return switch (n.kind()) {
            case INPUT -> "#cfe2f3";
            case OP -> opFill(n.label());
            case ADD -> "#f9cb9c";
            case CONCAT -> "#fff2cc";
            case OUTPUT -> "#d9ead3";
        };
    }

    /** Convolutions grey, pooling lilac, identity white: the families read at a glance. */
    private static String opFill(String label) {
        if (label.startsWith("max") || label.startsWith("avg")) {
            return "#e4d7f5";
        }
        return label.equals("identity") ? "#ffffff" : "#e8e8e8";
    }

    /** A standalone SVG document. */
    public String svg() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
                        + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"13\">%n",
                width, height, width, height));
        s.append("<title>").append(cell.type()).append(" cell</title>\n");
        s.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/>"
                + "</marker></defs>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (Edge e : edges) {
            double x1 = e.from().x();
            double y1 = e.from().top();
            double x2 = e.to().x();
            double y2 = e.to().bottom();
            double mid = (y1 + y2) / 2;
            s.append(String.format(Locale.ROOT, "<path class=\"edge\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\""
                    + " fill=\"none\" stroke=\"#555\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>%n",
                    x1, y1, x1, mid, x2, mid, x2, y2));
        }
        for (Node n : nodes) {
            String cls = n.kind().name().toLowerCase(Locale.ROOT);
            if (n.kind() == Kind.ADD) {
                s.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\""
                        + " stroke=\"#333\"/>%n", cls, n.x(), n.y(), COMBINE_R, fill(n)));
            } else {
                s.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                        + " height=\"%.1f\" rx=\"%d\" fill=\"%s\" stroke=\"#333\"/>%n", cls, n.x() - n.w() / 2,
                        n.top(), n.w(), n.h(), n.kind() == Kind.OP ? 3 : 10, fill(n)));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\""
                    + " dominant-baseline=\"central\">%s</text>%n", n.x(), n.y(), svgLabel(n.label())));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** "h_{i-1}" with its subscript as an SVG tspan. */
    private static String svgLabel(String label) {
        int sub = label.indexOf("_{");
        if (sub < 0) {
            return StringEscapeUtils.escapeXml10(label);
        }
        int end = label.indexOf('}', sub);
        return StringEscapeUtils.escapeXml10(label.substring(0, sub)) + "<tspan baseline-shift=\"sub\" font-size=\"10\">"
                + StringEscapeUtils.escapeXml10(label.substring(sub + 2, end)) + "</tspan>" + StringEscapeUtils.escapeXml10(label.substring(end + 1));
    }

    /** The same graph in Graphviz DOT, bottom to top: {@code dot -Tpng normal.dot > normal.png}. */
    public String dot() {
        StringBuilder s = new StringBuilder();
        s.append("digraph ").append(cell.type().token()).append("_cell {\n");
        s.append("  rankdir=BT;\n  node [fontname=\"Helvetica\", style=filled, color=\"#333333\"];\n");
        s.append("  edge [color=\"#555555\"];\n");
        for (Node n : nodes) {
            String shape = switch (n.kind()) {
                case ADD -> "circle";
                case OP, CONCAT -> "box";
                case INPUT, OUTPUT -> "box, style=\"rounded,filled\"";
            };
            s.append("  ").append(n.id()).append(" [label=").append(dotLabel(n.label())).append(", shape=")
                    .append(shape).append(", fillcolor=\"").append(fill(n)).append("\"];\n");
        }
        for (Edge e : edges) {
            s.append("  ").append(e.from().id()).append(" -> ").append(e.to().id()).append(";\n");
        }
        s.append("}\n");
        return s.toString();
    }

    private static String dotLabel(String label) {
        int sub = label.indexOf("_{");
        if (sub < 0) {
            return "\"" + label + "\"";
        }
        int end = label.indexOf('}', sub);
        return "<" + StringEscapeUtils.escapeXml10(label.substring(0, sub)) + "<sub>" + StringEscapeUtils.escapeXml10(label.substring(sub + 2, end))
                + "</sub>" + StringEscapeUtils.escapeXml10(label.substring(end + 1)) + ">";
    }
}
