package io.nasnet.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

/**
 * A study's page: its chart and its table in one {@code index.html} next to the PNG, no network,
 * as a search's report is, so a study's result is opened the same way.
 */
public final class StudyPage {

    private StudyPage() {
    }

    /** A page's opening up to its title; the page's style and body follow. */
    static String head(String title) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                """ + "<title>" + escapeHtml4(title) + "</title>\n";
    }

    /**
     * Writes {@code dir/index.html}: a title, a line on what was measured, the chart {@code png} (a
     * file of {@code dir}) and a table whose first row is its header.
     */
    public static Path write(Path dir, String title, String about, String png, String caption, List<List<String>> table)
            throws IOException {
        StringBuilder h = new StringBuilder(head(title));
        h.append("""
                <style>
                  body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1100px;
                         padding: 0 1.5rem; color: #222; }
                  figure { margin: 1rem 0; max-width: 780px; } figcaption { color: #555; font-size: .9rem; }
                  img { width: 100%; height: auto; border: 1px solid #e3e3e3; border-radius: 4px; }
                  table { border-collapse: collapse; font-size: .9rem; }
                  th, td { padding: .3rem .7rem; border-bottom: 1px solid #e3e3e3; text-align: right; }
                  th { background: #f4f6f8; } td:first-child, th:first-child { text-align: left; }
                </style>
                </head>
                <body>
                """);
        h.append("<h1>").append(escapeHtml4(title)).append("</h1>\n<p>").append(escapeHtml4(about)).append("</p>\n");
        h.append("<figure><img src=\"").append(escapeHtml4(png)).append("\" alt=\"").append(escapeHtml4(png))
                .append("\"><figcaption>").append(escapeHtml4(caption)).append("</figcaption></figure>\n<table>\n");
        for (int r = 0; r < table.size(); r++) {
            h.append("<tr>");
            for (String cell : table.get(r)) {
                String tag = r == 0 ? "th" : "td";
                h.append('<').append(tag).append('>').append(escapeHtml4(cell)).append("</").append(tag).append('>');
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n</body>\n</html>\n");
        return Files.writeString(dir.resolve("index.html"), h.toString(), StandardCharsets.UTF_8);
    }
}
