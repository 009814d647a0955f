package io.nasnet.history;

/**
 * Something wrong with a search's table or checkpoint, with what to do about it. {@code blocksResume}:
 * a run must not continue the search until it is fixed; the others (leftovers Spark ignores) are
 * reported by {@code nasnet check} and logged by a run.
 */
public record Problem(String what, String todo, boolean blocksResume) {
    @Override
    public String toString() {
        return what + "\n    what to do: " + todo;
    }
}
