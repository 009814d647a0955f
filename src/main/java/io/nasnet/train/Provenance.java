package io.nasnet.train;

import io.nasnet.history.HistoryRecord;

/**
 * Where a trained model came from, beside the architecture its card names: the search that found
 * it, the training recipe and data it was trained with, its seed, and the code that trained it.
 * Enough to train it again and to tell two models apart a year later.
 *
 * @param searchId     the search(es) whose table holds the architecture, or how it was given
 *                     ("preset NASNet-A", "genotype given")
 * @param recipe       the final-training settings, every one
 * @param dataChecksum the training data's checksum, as the search table's {@code data_checksum}
 * @param seed         the training seed
 * @param version      the project's version
 * @param commit       the git commit the project was built from
 */
public record Provenance(String searchId, String recipe, String dataChecksum, long seed, String version,
                         String commit) {

    /** The provenance of a training with {@code settings} now, by this build. */
    public static Provenance of(String searchId, FinalSettings settings, String dataChecksum) {
        return new Provenance(searchId, settings.toString(), dataChecksum, settings.seed(), HistoryRecord.projectVersion(),
                Build.commit());
    }
}
