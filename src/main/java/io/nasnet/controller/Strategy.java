package io.nasnet.controller;

import java.util.List;

/**
 * What a search asks of its controller: architectures to try, and learning from their rewards.
 * A strategy's whole state fits in {@link #checkpoint()}, so a search can stop after any round
 * and a later run continues with exactly the samples an uninterrupted run would have drawn.
 */
public interface Strategy {

    /** The strategy's name as configuration and the history table spell it. */
    String name();

    List<Sample> sample(int n);

    /** One update from the rewards of sampled architectures. */
    void learn(List<Scored> rows);

    byte[] checkpoint();

    /**
     * Learns from the rows of earlier searches before a new search's first round; the state it
     * reaches is in the first checkpoint. A strategy that learns nothing ignores them.
     */
    default void warmStart(List<Scored> rows) {
    }

    /**
     * The settings its state keeps once made, by configuration key (without {@code nasnet.}): a
     * restored strategy goes on with these, whatever the configuration says now.
     */
    default java.util.Map<String, Object> keptSettings() {
        return java.util.Map.of();
    }

    /** Running statistics worth logging (baseline, updates, ...). */
    default String summary() {
        return "";
    }
}
