package io.nasnet.child;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How a child's evaluation ended: the history table's {@code status} column (its name, as text),
 * and the questions the search, the views and the report ask of it, answered here alone.
 */
public enum Status {
    /** Trained; the reward is its validation accuracy. */
    OK,
    /** Loss became NaN or infinite; stopped early, reward 0. */
    DIVERGED,
    /** Training failed for the architecture's sake (a network that cannot be built or trained); reward 0, the message kept. */
    FAILED,
    /** Already evaluated at the same budget in this search or a search it warm-started from; the reward is reused. */
    CACHED;

    /** Trained by its own task: the evaluation that later rounds reuse as CACHED. */
    public boolean trained() {
        return this == OK;
    }

    /** Has a measured accuracy (its own or reused): what "best" and accuracy charts consider. */
    public boolean measured() {
        return this == OK || this == CACHED;
    }

    /** The architecture's failure, reward 0: what {@code search.max-failed-fraction} counts. */
    public boolean failed() {
        return this == FAILED || this == DIVERGED;
    }

    /** Took executor time: everything but a reused result. */
    public boolean ranOnExecutor() {
        return this != CACHED;
    }

    /** A SQL condition on the {@code status} column true for the statuses that satisfy {@code which}. */
    public static String sql(Predicate<Status> which) {
        return Arrays.stream(values()).filter(which).map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", ", "status IN (", ")"));
    }
}
