package io.nasnet.history;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The names of the history table's files and which file a reader takes each round from. */
class HistoryFileTest {

    static HistoryFile round(int r, long seq) {
        return HistoryFile.parse(HistoryFile.roundName(r, seq)).orElseThrow();
    }

    static HistoryFile compacted(int first, int last, long seq, int part) {
        return HistoryFile.parse(HistoryFile.compactedName(first, last, seq, part)).orElseThrow();
    }

    @Test
    void namesReadBackAsWhatTheyHold() {
        HistoryFile r = round(12, 37);
        assertThat(r.name()).startsWith("r00012-s000037-").endsWith(".parquet");
        assertThat(r).extracting(HistoryFile::first, HistoryFile::last, HistoryFile::seq, HistoryFile::compacted)
                .containsExactly(12, 12, 37L, false);
        HistoryFile c = compacted(0, 49, 51, 2);
        assertThat(c.name()).startsWith("c00000-00049-s000051-p002-");
        assertThat(c).extracting(HistoryFile::first, HistoryFile::last, HistoryFile::seq, HistoryFile::compacted)
                .containsExactly(0, 49, 51L, true);
        assertThat(HistoryFile.parse("part-00000-0c2f.snappy.parquet")).isEmpty();
        assertThat(HistoryFile.parse("notes.txt")).isEmpty();
        assertThat(HistoryFile.parse(r.name() + ".crc")).isEmpty();
        assertThat(HistoryFile.nextSeq(List.of(r, c))).isEqualTo(52);
        assertThat(HistoryFile.nextSeq(List.of())).isEqualTo(1);
    }

    @Test
    void aReRunRoundHidesItsEarlierFileWhole() {
        HistoryFile r0 = round(0, 1);
        HistoryFile r1 = round(1, 2);
        HistoryFile r1again = round(1, 3);
        Map<HistoryFile, Set<Integer>> hidden = HistoryFile.shadowed(List.of(r0, r1, r1again));
        assertThat(hidden).containsOnlyKeys(r1).containsEntry(r1, Set.of(1));
        assertThat(HistoryFile.wholly(r1, hidden.get(r1))).isTrue();
        assertThat(HistoryFile.holding(List.of(r0, r1, r1again), 1)).containsExactly(r1again);
        assertThat(HistoryFile.holding(List.of(r0, r1, r1again), 0)).containsExactly(r0);
        assertThat(HistoryFile.holding(List.of(r0, r1, r1again), 2)).isEmpty();
    }

    @Test
    void aCompactionHidesTheRoundFilesItRewroteAndARoundWrittenAfterItHidesThatRoundOnly() {
        HistoryFile r0 = round(0, 1);
        HistoryFile r1 = round(1, 2);
        HistoryFile r2 = round(2, 3);
        HistoryFile p0 = compacted(0, 2, 4, 0);
        HistoryFile p1 = compacted(0, 2, 4, 1);
        // between the compaction's rename and its deletes: the old files are hidden, the parts are not
        Map<HistoryFile, Set<Integer>> hidden = HistoryFile.shadowed(List.of(r0, r1, r2, p0, p1));
        assertThat(hidden).containsOnlyKeys(r0, r1, r2);
        assertThat(HistoryFile.holding(List.of(r0, r1, r2, p0, p1), 1)).containsExactlyInAnyOrder(p0, p1);
        // round 2 re-run after the compaction: the compacted files lose that round only
        HistoryFile r2again = round(2, 5);
        hidden = HistoryFile.shadowed(List.of(p0, p1, r2again));
        assertThat(hidden).containsOnlyKeys(p0, p1).containsEntry(p0, Set.of(2)).containsEntry(p1, Set.of(2));
        assertThat(HistoryFile.wholly(p0, hidden.get(p0))).isFalse();
        assertThat(HistoryFile.holding(List.of(p0, p1, r2again), 2)).containsExactly(r2again);
        // a later compaction over all of it hides both
        HistoryFile again = compacted(0, 2, 6, 0);
        hidden = HistoryFile.shadowed(List.of(p0, p1, r2again, again));
        assertThat(hidden.keySet()).containsExactlyInAnyOrder(p0, p1, r2again);
        assertThat(hidden.entrySet()).allMatch(e -> HistoryFile.wholly(e.getKey(), e.getValue()));
    }
}
