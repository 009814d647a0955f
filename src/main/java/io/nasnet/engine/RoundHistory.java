package io.nasnet.engine;

import io.nasnet.history.HistoryRecord;

import java.util.List;

/**
 * Where a search's rounds are kept: the history table on a cluster, a list in memory. A round is
 * appended whole, and a round appended again (a re-run after an interruption) replaces the first.
 */
public interface RoundHistory {

    /** Every row of one search, by round and child index. */
    List<HistoryRecord> records(String searchId);

    /** One round of one search, by child index. */
    List<HistoryRecord> round(String searchId, int round);

    /** Appends one round's rows, all of them or none. */
    void append(List<HistoryRecord> rows);

    /** Where the rows are, for messages. */
    String where();
}
