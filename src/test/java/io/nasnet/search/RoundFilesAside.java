package io.nasnet.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A search's round files copied aside and put back after a compaction removed them: the next
 * compaction has work again, and a reader meanwhile sees both generations of files, as in the instant
 * between a rewrite's rename and its deletes.
 */
record RoundFilesAside(List<Path> files, Path aside) {

    static RoundFilesAside keep(Path searchFolder, Path aside) throws IOException {
        Files.createDirectories(aside);
        List<Path> files;
        try (Stream<Path> s = Files.list(searchFolder)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("r")).toList();
        }
        for (Path f : files) {
            Files.copy(f, aside.resolve(f.getFileName()));
        }
        return new RoundFilesAside(files, aside);
    }

    void putBack() throws IOException {
        for (Path f : files) {
            Files.copy(aside.resolve(f.getFileName()), f, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
