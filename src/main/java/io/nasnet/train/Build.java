package io.nasnet.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What build of the project is running: its version (the jar's manifest, "dev" from the classes
 * folder) and the git commit it was built from (written at build time; "unknown" outside a git
 * checkout). Recorded with every trained model, so a model says which code made it.
 */
final class Build {

    private Build() {
    }

    static String version() {
        String v = Build.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
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
