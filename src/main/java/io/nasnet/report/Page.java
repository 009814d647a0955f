package io.nasnet.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

/**
 * The one HTML page template ({@code page.html}) and stylesheet ({@code page.css}) of the report and
 * the study pages: a page is its title, its kind (the body's class) and its body, itself filled from
 * a template of this package ({@code report.html}, {@code study.html}).
 */
final class Page {

    private static final String TEMPLATE = resource("page.html");
    private static final String STYLE = resource("page.css");

    private Page() {
    }

    /** The page around {@code body} (HTML, escaped by its writer); {@code kind}: "report" or "study". */
    static String render(String title, String kind, String body) {
        return TEMPLATE.replace("{{title}}", escapeHtml4(title)).replace("{{style}}", STYLE)
                .replace("{{kind}}", kind).replace("{{body}}", body);
    }

    /**
     * The template {@code name} with each {@code {{key}}} replaced by its value (HTML, escaped by the
     * caller); a placeholder left without a value is an error, so a template and its filler cannot drift apart.
     */
    static String fill(String name, Map<String, String> values) {
        java.util.regex.Matcher m = PLACEHOLDER.matcher(resource(name));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("template " + name + ": no value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\{(\\w+)}}");

    private static String resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the page resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
