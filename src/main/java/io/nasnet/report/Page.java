package io.nasnet.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

/**
 * The one HTML page template ({@code page.html}) and stylesheet ({@code page.css}) of the report and
 * the study pages: a page is its title, its kind (the body's class) and its body.
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
