package io.nasnet.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data file of a search's folder in the history table, as its name describes it: the rows of one
 * round ({@code r00012-s000013-<uuid>.parquet}) or of rounds first to last rewritten by a compaction
 * ({@code c00000-00049-s000051-p000-<uuid>.parquet}), and the file's write sequence in its search.
 * A file's rows of a round count only while no later file of the search holds that round: a re-run
 * round and a compaction add the new file before they delete the old, so a reader that lists the
 * folder in between takes each round from exactly one file ({@link #shadowed}).
 */
public record HistoryFile(String name, int first, int last, long seq, boolean compacted) {

    private static final Pattern ROUND = Pattern.compile("r(\\d{5,})-s(\\d{6,})-[0-9a-f-]{36}\\.parquet");
    private static final Pattern COMPACTED =
            Pattern.compile("c(\\d{5,})-(\\d{5,})-s(\\d{6,})-p(\\d{3,})-[0-9a-f-]{36}\\.parquet");

    /** The file a name describes, or empty when the name is not one the table writes. */
    public static Optional<HistoryFile> parse(String name) {
        Matcher m = ROUND.matcher(name);
        if (m.matches()) {
            int r = Integer.parseInt(m.group(1));
            return Optional.of(new HistoryFile(name, r, r, Long.parseLong(m.group(2)), false));
        }
        m = COMPACTED.matcher(name);
        if (m.matches()) {
            return Optional.of(new HistoryFile(name, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Long.parseLong(m.group(3)), true));
        }
        return Optional.empty();
    }

    /** A new file's name for one round's rows. */
    public static String roundName(int round, long seq) {
        return String.format(Locale.ROOT, "r%05d-s%06d-%s.parquet", round, seq, UUID.randomUUID());
    }

    /** A new file's name for part {@code part} of a compaction of rounds first to last. */
    public static String compactedName(int first, int last, long seq, int part) {
        return String.format(Locale.ROOT, "c%05d-%05d-s%06d-p%03d-%s.parquet", first, last, seq, part, UUID.randomUUID());
    }

    public boolean holds(int round) {
        return round >= first && round <= last;
    }

    /** The sequence a new file of a search whose folder holds {@code files} takes. */
    public static long nextSeq(Collection<HistoryFile> files) {
        return files.stream().mapToLong(HistoryFile::seq).max().orElse(0) + 1;
    }

    /**
     * For each file of one search some of whose rounds a later file holds, those rounds (all of the
     * file's, when it is wholly replaced). Files of one compaction share a sequence and never shadow
     * each other.
     */
    public static Map<HistoryFile, Set<Integer>> shadowed(Collection<HistoryFile> files) {
        List<HistoryFile> newestFirst = new ArrayList<>(files);
        newestFirst.sort(Comparator.comparingLong(HistoryFile::seq).reversed());
        Map<HistoryFile, Set<Integer>> out = new LinkedHashMap<>();
        Set<Integer> heldByLater = new HashSet<>();
        int i = 0;
        while (i < newestFirst.size()) {
            long seq = newestFirst.get(i).seq();
            Set<Integer> thisSeq = new HashSet<>();
            for (; i < newestFirst.size() && newestFirst.get(i).seq() == seq; i++) {
                HistoryFile f = newestFirst.get(i);
                Set<Integer> hidden = new TreeSet<>();
                for (int r = f.first(); r <= f.last(); r++) {
                    if (heldByLater.contains(r)) {
                        hidden.add(r);
                    }
                    thisSeq.add(r);
                }
                if (!hidden.isEmpty()) {
                    out.put(f, hidden);
                }
            }
            heldByLater.addAll(thisSeq);
        }
        return out;
    }

    /** Whether a later file holds every round of this one, so that it can be deleted. */
    public static boolean wholly(HistoryFile f, Set<Integer> shadowedRounds) {
        return shadowedRounds.size() == f.last() - f.first() + 1;
    }

    /** The files of one search that hold {@code round} for a reader: the newest file (or compaction) holding it. */
    public static List<HistoryFile> holding(Collection<HistoryFile> files, int round) {
        Map<HistoryFile, Set<Integer>> hidden = shadowed(files);
        return files.stream().filter(f -> f.holds(round) && !hidden.getOrDefault(f, Set.of()).contains(round))
                .sorted(Comparator.comparing(HistoryFile::name)).toList();
    }
}
