package io.nasnet.child;

import io.nasnet.data.DatasetException;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Whose fault a child's failure is, decided here and nowhere else. The controller learns only from
 * what measures an architecture: a failure of the architecture is a row with reward 0 (the
 * controller learns to avoid it); a failure of the environment must never become a reward, so the
 * Spark task fails, Spark retries it on another executor, and if it still cannot be trained the
 * round stops without a checkpoint and the next run re-runs it.
 *
 * <ul>
 *   <li>{@link Kind#ENVIRONMENT}: the dataset unreadable or corrupt ({@link DatasetException}), I/O
 *       errors (disk full, a FileSystem unreachable), a native library or backend that does not load
 *       ({@link LinkageError}, {@link EnvironmentException}).</li>
 *   <li>{@link Kind#EITHER}: running out of memory, JVM heap or native ({@link OutOfMemoryError},
 *       which JavaCPP also throws): retried like the environment's; a child that still fails so on
 *       its last attempt is the architecture's, so a search never stalls on an architecture too big
 *       for its executors.</li>
 *   <li>{@link Kind#ARCHITECTURE}: everything else that follows from the genotype at this budget (a
 *       network that cannot be built or trained); a loss that goes NaN is not a failure but
 *       {@link Status#DIVERGED}.</li>
 * </ul>
 */
public final class Failures {

    /** Whose fault a failure is. */
    public enum Kind { ARCHITECTURE, ENVIRONMENT, EITHER }

    /** A failure of where a child runs, not of what it is: never a reward. */
    public static final class EnvironmentException extends RuntimeException {
        public EnvironmentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Failures() {
    }

    /** The kind of a failure, from it and its causes. */
    public static Kind classify(Throwable t) {
        boolean memory = false;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DatasetException || c instanceof IOException || c instanceof UncheckedIOException
                    || c instanceof LinkageError || c instanceof EnvironmentException) {
                return Kind.ENVIRONMENT;
            }
            memory |= c instanceof OutOfMemoryError;
        }
        return memory ? Kind.EITHER : Kind.ARCHITECTURE;
    }

    /**
     * Whether a failure of this kind, on this attempt of the task, is recorded as the child's
     * ({@link Status#FAILED}, reward 0) rather than failing the task for Spark to retry.
     */
    public static boolean isTheArchitectures(Kind kind, int attempt, int maxAttempts) {
        return kind == Kind.ARCHITECTURE || kind == Kind.EITHER && attempt + 1 >= maxAttempts;
    }
}
