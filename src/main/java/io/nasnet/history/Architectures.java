package io.nasnet.history;

import io.nasnet.space.Genotype;
import io.nasnet.space.Presets;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.function.Supplier;

/**
 * An architecture as a user names it to {@code train}, {@code export} or {@code predict}: a preset
 * (NASNet-A), a genotype's text, or an architecture id the history table holds; and where a named
 * architecture came from, for a model's card.
 */
public final class Architectures {

    private Architectures() {
    }

    /**
     * The genotype {@code what} names; only an architecture id needs Spark, so {@code spark} is asked
     * for a session only then. Anything else is an error saying the three forms.
     */
    public static Genotype resolve(String what, Supplier<SparkSession> spark, String historyPath) {
        String w = what.trim();
        if (Presets.isPreset(w)) {
            return Presets.byName(w);
        }
        if (w.startsWith("normal")) {
            return Genotype.parse(w);
        }
        if (w.matches("[0-9a-f]{16}")) {
            return Genotype.parse(new HistoryTable(spark.get(), historyPath).architecture(w)
                    .select("genotype").first().getString(0));
        }
        throw new IllegalArgumentException("--genotype '" + w + "' is not an architecture id (16 hex digits), "
                + "a preset (NASNet-A) or a genotype's text (\"normal (...) ... | reduction (...) ...\")");
    }

    /** Where {@code g}, named {@code what}, came from: the searches whose table holds it, or how it was given. */
    public static String origin(String what, Genotype g, SparkSession spark, String historyPath) {
        if (Presets.isPreset(what.trim())) {
            return "preset " + what.trim();
        }
        List<String> searches = new HistoryTable(spark, historyPath).all().where(
                        org.apache.spark.sql.functions.col("arch_id").equalTo(g.id()))
                .select("search_id").distinct().orderBy("search_id").collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        return searches.isEmpty() ? "genotype given" : String.join(", ", searches);
    }
}
