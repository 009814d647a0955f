package io.nasnet.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The git commit the running classes were built from (written at build time; "unknown" outside a
 * git checkout), recorded with every trained model beside the project's version
 * ({@code HistoryRecord.projectVersion()}), so a model says which code made it.
 */
final class Build {

    private Build() {
    }

    static String commit() {
        try (InputStream in = Build.class.getResourceAsStream("/io/nasnet/build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String c = p.getProperty("commit", "").trim();
            return c.isEmpty() ? "unknown" : c;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
