package io.nasnet.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When a run of a search stops, asked before each round. Limits compose: {@link #anyOf} stops at
 * the first reached. A limit of the search itself (its rounds, its child-seconds, its children)
 * makes the search complete; a limit of the run (its rounds, its time) only pauses it.
 */
@FunctionalInterface
public interface Limit {

    /** Why the run stops now, or empty when it goes on. */
    Optional<Stop> reached(Progress p);

    /** A reason to stop; {@code complete} when the search has all it will get. */
    record Stop(String why, boolean complete) {
    }

    /**
     * Where a search stands before a round: its next round, the rounds this run did, and the
     * child-seconds and children (evaluated on an executor, not reused) of all its rounds so far.
     */
    record Progress(int nextRound, int roundsRun, double childSeconds, long children) {
    }

    /** No limit. */
    Limit NONE = p -> Optional.empty();

    /** The first limit reached, one that completes the search before one that pauses it. */
    static Limit anyOf(List<Limit> limits) {
        return p -> {
            List<Stop> stops = limits.stream().map(l -> l.reached(p)).flatMap(Optional::stream).toList();
            return stops.stream().filter(Stop::complete).findFirst().or(() -> stops.stream().findFirst());
        };
    }

    /** This run's rounds (0: no limit); the search goes on in a later run. */
    static Limit roundsThisRun(int n) {
        return p -> n > 0 && p.roundsRun() >= n
                ? Optional.of(new Stop(n + " round(s) of this run done", false)) : Optional.empty();
    }

    /** The search's rounds (0: no limit): complete after round {@code n - 1}. */
    static Limit rounds(int n) {
        return p -> n > 0 && p.nextRound() >= n
                ? Optional.of(new Stop("complete, all " + n + " rounds done", true)) : Optional.empty();
    }

    /** The search's child-seconds (0: no limit): complete once spent. */
    static Limit childSeconds(double budget) {
        return p -> budget > 0 && p.childSeconds() >= budget
                ? Optional.of(new Stop(String.format(Locale.ROOT, "complete, its budget of %.1f child-seconds is "
                + "spent (%.1f)", budget, p.childSeconds()), true)) : Optional.empty();
    }

    /** The search's children (0: no limit): complete once that many were evaluated. */
    static Limit children(long n) {
        return p -> n > 0 && p.children() >= n
                ? Optional.of(new Stop("complete, " + p.children() + " children evaluated (limit " + n + ")", true))
                : Optional.empty();
    }

    /** This run's time (zero: no limit), from now on {@code clock}; the search goes on in a later run. */
    static Limit time(Duration budget, Clock clock) {
        if (budget.isZero()) {
            return NONE;
        }
        Instant deadline = clock.instant().plus(budget);
        return p -> clock.instant().isBefore(deadline) ? Optional.empty()
                : Optional.of(new Stop("time budget of " + budget + " spent", false));
    }
}
