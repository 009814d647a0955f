package io.nasnet.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            String tag = r == 0 ? "th" : "td";
            rows.append("<tr>").append(table.get(r).stream().map(c -> "<" + tag + ">" + escapeHtml4(c) + "</" + tag + ">")
                    .collect(java.util.stream.Collectors.joining())).append("</tr>\n");
        }
        String body = Page.fill("study.html", Map.of("title", escapeHtml4(title), "about", escapeHtml4(about),
                "png", escapeHtml4(png), "caption", escapeHtml4(caption), "rows", rows.toString()));
        return Files.writeString(dir.resolve("index.html"), Page.render(title, "study", body),
                StandardCharsets.UTF_8);
    }
}
