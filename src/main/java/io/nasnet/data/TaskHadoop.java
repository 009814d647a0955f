package io.nasnet.data;

import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop configuration that code without a Spark session at hand (a task reading its dataset or
 * a rung's state on an executor) reaches a FileSystem with: the classpath's core-site.xml over
 * Hadoop's defaults, as {@code new Configuration()} gives, but parsed once per JVM. A new
 * Configuration parses its XML resources again, tens of milliseconds each time, and a task asks for
 * a FileSystem a dozen times.
 */
public final class TaskHadoop {

    private static final Configuration CONF = new Configuration();

    private TaskHadoop() {
    }

    /** The shared configuration; read it, never set on it. */
    public static Configuration conf() {
        return CONF;
    }
}
