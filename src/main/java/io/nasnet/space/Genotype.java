package io.nasnet.space;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An architecture of the search space: a Normal and a Reduction cell with the same number of blocks.
 * Its one-line {@link #text()} parses back with {@link #parse}; {@link #id()} names it in the
 * search history.
 */
public record Genotype(Cell normal, Cell reduction) {

    private static final Pattern BLOCK = Pattern.compile(
            "\\(\\s*(-?\\d+)\\s+(\\S+?)\\s*,\\s*(-?\\d+)\\s+(\\S+?)\\s*(?:,\\s*(\\w+)\\s*)?\\)");

    public Genotype {
        Objects.requireNonNull(normal, "normal cell");
        Objects.requireNonNull(reduction, "reduction cell");
        if (normal.type() != CellType.NORMAL) {
            throw new InvalidGenotypeException("first cell must be the normal cell, got " + normal.type());
        }
        if (reduction.type() != CellType.REDUCTION) {
            throw new InvalidGenotypeException("second cell must be the reduction cell, got " + reduction.type());
        }
        if (normal.blocks().size() != reduction.blocks().size()) {
            throw new InvalidGenotypeException("normal cell has " + normal.blocks().size()
                    + " blocks but reduction cell has " + reduction.blocks().size());
        }
    }

    /** B, the number of blocks per cell. */
    public int blocks() {
        return normal.blocks().size();
    }

    public Cell cell(CellType type) {
        return type == CellType.NORMAL ? normal : reduction;
    }

    /** The canonical one-line form: {@code normal (0 sep5x5, 1 sep3x3, add) ... concat 1 2 | reduction ...}. */
    public String text() {
        return normal.text() + " | " + reduction.text();
    }

    /**
     * A stable 16-hex-digit id: SHA-256 of the text after putting each block's two (input, op)
     * pairs in a canonical order. Both combines are symmetric in their operands (concat up to a
     * channel permutation that the next layer's weights absorb), so swapped inputs are one
     * architecture.
     */
    public String id() {
        String canonical = normal.normalized().text() + " | " + reduction.normalized().text();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * Parses the text form. The combine may be left out (add), and so may a cell's
     * {@code concat} list (the paper's rule: the blocks no block consumes).
     */
    public static Genotype parse(String text) {
        Objects.requireNonNull(text, "genotype text");
        String[] parts = text.split("\\|");
        if (parts.length != 2) {
            throw new InvalidGenotypeException("a genotype is '<normal cell> | <reduction cell>', got "
                    + parts.length + " part(s) in: " + text);
        }
        return new Genotype(parseCell(parts[0], CellType.NORMAL), parseCell(parts[1], CellType.REDUCTION));
    }

    private static Cell parseCell(String text, CellType expected) {
        String t = text.trim();
        if (!t.startsWith(expected.token())) {
            throw new InvalidGenotypeException("expected the " + expected + " cell to start with '"
                    + expected.token() + "', got: " + t);
        }
        t = t.substring(expected.token().length()).trim();
        String concatPart = null;
        int c = t.indexOf("concat", t.lastIndexOf(')') + 1);
        if (c >= 0) {
            concatPart = t.substring(c + "concat".length()).trim();
            t = t.substring(0, c).trim();
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(t);
        int end = 0;
        while (m.find()) {
            if (!t.substring(end, m.start()).isBlank()) {
                throw new InvalidGenotypeException(expected + " cell, block " + blocks.size()
                        + ": cannot read '" + t.substring(end, m.start()).trim() + "'");
            }
            int b = blocks.size();
            blocks.add(new Block(
                    Integer.parseInt(m.group(1)), op(expected, b, "op1", m.group(2)),
                    Integer.parseInt(m.group(3)), op(expected, b, "op2", m.group(4)),
                    m.group(5) == null ? Combine.ADD : combine(expected, b, m.group(5))));
            end = m.end();
        }
        if (!t.substring(end).isBlank()) {
            throw new InvalidGenotypeException(expected + " cell, block " + blocks.size()
                    + ": cannot read '" + t.substring(end).trim() + "' (expected '(input op, input op, add|concat)')");
        }
        if (concatPart == null) {
            return Cell.withLooseEnds(expected, blocks);
        }
        List<Integer> concat = new ArrayList<>();
        for (String s : concatPart.split("[\\s,]+")) {
            if (s.isEmpty()) {
                continue;
            }
            try {
                concat.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new InvalidGenotypeException(expected + " cell, concat: '" + s + "' is not a state index");
            }
        }
        return new Cell(expected, blocks, concat);
    }

    private static Op op(CellType cell, int block, String field, String token) {
        try {
            return Op.parse(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidGenotypeException(cell + " cell, block " + block + ", " + field + ": " + e.getMessage(), e);
        }
    }

    private static Combine combine(CellType cell, int block, String token) {
        try {
            return Combine.parse(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidGenotypeException(cell + " cell, block " + block + ", combine: " + e.getMessage(), e);
        }
    }

    /** {@code {"normal":{"blocks":[{"inputs":[0,1],"ops":["sep5x5","sep3x3"],"combine":"add"}],"concat":[..]},"reduction":...}}. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.add("normal", cellJson(normal));
        o.add("reduction", cellJson(reduction));
        return o.toString();
    }

    private static JsonObject cellJson(Cell cell) {
        JsonArray blocks = new JsonArray();
        for (Block b : cell.blocks()) {
            JsonObject jb = new JsonObject();
            JsonArray inputs = new JsonArray();
            inputs.add(b.input1());
            inputs.add(b.input2());
            JsonArray ops = new JsonArray();
            ops.add(b.op1().token());
            ops.add(b.op2().token());
            jb.add("inputs", inputs);
            jb.add("ops", ops);
            jb.addProperty("combine", b.combine().token());
            blocks.add(jb);
        }
        JsonArray concat = new JsonArray();
        cell.concat().forEach(concat::add);
        JsonObject o = new JsonObject();
        o.add("blocks", blocks);
        o.add("concat", concat);
        return o;
    }

    /** Reads {@link #toJson()}'s form; a missing {@code concat} means the paper's rule. */
    public static Genotype fromJson(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new InvalidGenotypeException("genotype JSON is not an object: " + e.getMessage(), e);
        }
        return new Genotype(cellFromJson(o, CellType.NORMAL), cellFromJson(o, CellType.REDUCTION));
    }

    private static Cell cellFromJson(JsonObject root, CellType type) {
        JsonElement e = root.get(type.token());
        if (e == null || !e.isJsonObject()) {
            throw new InvalidGenotypeException("genotype JSON: missing object '" + type.token() + "'");
        }
        JsonObject cell = e.getAsJsonObject();
        JsonElement blocksEl = cell.get("blocks");
        if (blocksEl == null || !blocksEl.isJsonArray()) {
            throw new InvalidGenotypeException(type + " cell: missing array 'blocks'");
        }
        List<Block> blocks = new ArrayList<>();
        for (JsonElement be : blocksEl.getAsJsonArray()) {
            int b = blocks.size();
            try {
                JsonObject jb = be.getAsJsonObject();
                JsonArray inputs = jb.getAsJsonArray("inputs");
                JsonArray ops = jb.getAsJsonArray("ops");
                if (inputs == null || inputs.size() != 2 || ops == null || ops.size() != 2) {
                    throw new InvalidGenotypeException(type + " cell, block " + b + ": needs 'inputs' and 'ops' of two each");
                }
                JsonElement comb = jb.get("combine");
                blocks.add(new Block(
                        inputs.get(0).getAsInt(), op(type, b, "op1", ops.get(0).getAsString()),
                        inputs.get(1).getAsInt(), op(type, b, "op2", ops.get(1).getAsString()),
                        comb == null ? Combine.ADD : combine(type, b, comb.getAsString())));
            } catch (InvalidGenotypeException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw new InvalidGenotypeException(type + " cell, block " + b + ": " + ex.getMessage(), ex);
            }
        }
        JsonElement concatEl = cell.get("concat");
        if (concatEl == null) {
            return Cell.withLooseEnds(type, blocks);
        }
        List<Integer> concat = new ArrayList<>();
        concatEl.getAsJsonArray().forEach(x -> concat.add(x.getAsInt()));
        return new Cell(type, blocks, concat);
    }
}
