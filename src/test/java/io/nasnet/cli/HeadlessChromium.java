package io.nasnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium driven through its chromedriver over the W3C WebDriver protocol (plain
 * HTTP + JSON), for tests that must see a page as a browser renders it.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String session;

    HeadlessChromium(Path profileDir) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("this test needs Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; jobs/test.sh installs them)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(profileDir.resolveSibling("chromedriver.log").toFile())
                .start();
        base = "http://127.0.0.1:" + port;
        try {
            waitUntilReady();
            session = newSession(profileDir);
        } catch (Exception e) {
            driver.destroy();
            throw e;
        }
    }

    private String newSession(Path profileDir) throws Exception {
        Map<String, Object> options = Map.of("binary", CHROMIUM.toString(), "args", List.of(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1600,1200", "--user-data-dir=" + profileDir));
        JsonNode created = call("POST", "/session", Map.of("capabilities",
                Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", options))));
        return created.path("value").path("sessionId").asText();
    }

    private void waitUntilReady() {
        io.nasnet.Poll.until("chromedriver to start", Duration.ofSeconds(20), () -> "", () -> {
            try {
                return call("GET", "/status", null).path("value").path("ready").asBoolean();
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Opens a URL and waits for the page to load. */
    void open(URI uri) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", uri.toString()));
    }

    /** Runs a script in the page ({@code return ...}) and gives back its JSON value. */
    JsonNode script(String body) throws Exception {
        return call("POST", "/session/" + session + "/execute/sync", Map.of("script", body, "args", List.of()))
                .path("value");
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null)
                .path("value").asText());
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.statusCode() + " "
                    + json.path("value").path("message").asText(r.body()));
        }
        return json;
    }

    @Override
    public void close() throws Exception {
        try {
            call("DELETE", "/session/" + session, null);
        } finally {
            driver.destroy();
            driver.waitFor();
        }
    }
}
