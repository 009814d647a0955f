package io.nasnet.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints query results as an aligned table, CSV or JSON lines. */
final class TableOutput {

    enum Format { TABLE, CSV, JSON }

    private TableOutput() {
    }

    static void print(Dataset<Row> rows, Format format, PrintWriter out) {
        if (format == Format.JSON) {
            rows.toJSON().collectAsList().forEach(out::println);
            return;
        }
        String[] columns = rows.columns();
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows.collectAsList()) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                line[i] = text(r.get(i));
            }
            cells.add(line);
        }
        if (format == Format.CSV) {
            out.println(String.join(",", java.util.Arrays.stream(columns).map(TableOutput::csv).toList()));
            for (String[] line : cells) {
                out.println(String.join(",", java.util.Arrays.stream(line).map(TableOutput::csv).toList()));
            }
            return;
        }
        int[] width = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            width[i] = columns[i].length();
            for (String[] line : cells) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        out.println(line(columns, width));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (String[] line : cells) {
            out.println(line(line, width));
        }
        out.println("(" + cells.size() + " row" + (cells.size() == 1 ? ")" : "s)"));
    }

    private static String line(String[] values, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", values[i]));
        }
        return sb.toString().stripTrailing();
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            List<String> parts = new ArrayList<>();
            scala.collection.Iterator<?> it = seq.iterator();
            while (it.hasNext()) {
                parts.add(text(it.next()));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return v.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
