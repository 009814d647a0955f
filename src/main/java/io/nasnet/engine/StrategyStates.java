package io.nasnet.engine;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a search's strategy state is kept after each round (checkpoint files on a cluster's
 * FileSystem, a map in memory), with the space it was saved in, and where a round's rungs keep
 * their children's states between rungs.
 */
public interface StrategyStates {

    /**
     * A saved state: the last completed round, the strategy that saved it, the fingerprint of the
     * search space its decisions index ({@link io.nasnet.space.Encoding#fingerprint()}; null for a
     * state saved before fingerprints, which were all of the paper's space) and the strategy's bytes.
     */
    record Saved(int round, String strategy, String space, byte[] state) {
    }

    Optional<Saved> load(String searchId) throws IOException;

    void save(String searchId, Saved saved) throws IOException;

    /** The folder where the children of a round's rungs save their states, reachable by the evaluator's tasks. */
    String rungDir(String searchId, int round);

    /** Where the state of a search is, for messages. */
    String where(String searchId);
}
