package io.nasnet;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules a newcomer relies on when reading the code by its package names: no package
 * depends on itself through others (each sub-package counts on its own, so child.onednn and
 * child.kernels cannot reach back into child), and the data flows one way, space -> child ->
 * controller -> engine -> search -> history -> report, with the command line on top; the round
 * engine and the strategies hold no Spark type, so a search runs in memory. The class files show
 * only what the code uses; an import kept for a javadoc link would tie packages in the source that
 * the bytecode does not, so the sources may import only what their code uses.
 */
class PackageRulesTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.nasnet");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("io.nasnet.(**)").should().beFreeOfCycles().check(product);
    }

    @Test
    void theSearchSpaceAndTheChildKnowNothingOfTheSearchAboveThem() {
        noClasses().that().resideInAnyPackage("io.nasnet.space..", "io.nasnet.child..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.nasnet.controller..", "io.nasnet.search..", "io.nasnet.history..",
                        "io.nasnet.report..", "io.nasnet.study..", "io.nasnet.cli..")
                .check(product);
    }

    @Test
    void theRoundEngineAndTheStrategiesRunWithoutSparkOrHadoop() {
        noClasses().that().resideInAnyPackage("io.nasnet.engine..", "io.nasnet.controller..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..")
                .check(product);
    }

    @Test
    void theRoundEngineKnowsNothingOfWhatFillsItsSeams() {
        noClasses().that().resideInAPackage("io.nasnet.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.nasnet.search..", "io.nasnet.study..",
                        "io.nasnet.surrogate..", "io.nasnet.report..", "io.nasnet.cli..")
                .check(product);
    }

    @Test
    void theConfigurationPackageIsALeaf() {
        noClasses().that().resideInAPackage("io.nasnet.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.nasnet.space..", "io.nasnet.child..",
                        "io.nasnet.data..", "io.nasnet.controller..", "io.nasnet.engine..", "io.nasnet.surrogate..",
                        "io.nasnet.search..", "io.nasnet.history..", "io.nasnet.train..", "io.nasnet.study..",
                        "io.nasnet.report..", "io.nasnet.export..", "io.nasnet.predict..", "io.nasnet.cli..")
                .check(product);
    }

    @Test
    void onlyTheCommandLineDependsOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.nasnet.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.nasnet.cli..")
                .check(product);
    }

    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)\\.(\\w+);$", Pattern.MULTILINE);
    @Test
    void everySourceImportsOnlyWhatItsCodeUses() throws IOException {
        List<String> unused = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = codeOnly(Files.readString(file));
                String body = IMPORT.matcher(code).replaceAll("");
                Matcher imported = IMPORT.matcher(code);
                while (imported.find()) {
                    String name = imported.group(3);
                    if (!Pattern.compile("\\b" + name + "\\b").matcher(body).find()) {
                        unused.add(file + ": " + imported.group(2) + "." + name);
                    }
                }
            }
        }
        assertThat(unused).as("imports no code uses (a javadoc link can name the class in full)").isEmpty();
    }

    /** The source without its comments, string, text-block and character literals. */
    private static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                i = source.indexOf("\"\"\"", i + 3) + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i++);
                while (source.charAt(i) != quote) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                code.append(' ');
            } else {
                code.append(source.charAt(i++));
            }
        }
        return code.toString();
    }
}
