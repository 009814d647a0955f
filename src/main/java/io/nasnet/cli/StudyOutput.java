package io.nasnet.cli;

import io.nasnet.search.SearchConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;

/** {@code --out} of the study commands (compare, fidelity, noise), and writing a study's files there. */
final class StudyOutput {

    @Option(names = "--out", description = "folder of the study's chart, CSV and tables (any Hadoop FileSystem path; "
            + "default: work/studies/STUDY, in YARN cluster mode next to the history table)")
    String out;

    /** Writes the study's files with {@code writer} and prints where they are; {@code what} names them. */
    void write(PrintWriter w, SparkSession spark, SearchConfig config, String study, Outputs.Writer writer, String what)
            throws IOException {
        Outputs outputs = new Outputs(spark);
        outputs.writeStudy(w, outputs.folder(out, config.historyPath(), "studies", study), writer, what);
    }
}
