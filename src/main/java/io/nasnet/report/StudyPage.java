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

    /**
     * Writes {@code dir/index.html}: a title, a line on what was measured, the chart {@code png} (a
     * file of {@code dir}) and a table whose first row is its header.
     */
    public static Path write(Path dir, String title, String about, String png, String caption, List<List<String>> table)
            throws IOException {
        StringBuilder h = new StringBuilder();
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
        h.append("</table>\n");
        return Files.writeString(dir.resolve("index.html"), Page.render(title, "study", h.toString()),
                StandardCharsets.UTF_8);
    }
}
