package io.nasnet;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests for something another thread or process does: a condition polled up to a
 * deadline. The one poll loop of the tests; a condition may throw (a process that exited, a
 * refused connection counted as not yet), and the exception ends the wait.
 */
public final class Poll {

    private Poll() {
    }

    /** A condition that may throw. */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    /** Returns once {@code condition} holds; fails naming {@code what} if it does not within {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        until(what, limit, () -> "", condition::getAsBoolean);
    }

    /**
     * The same, for a condition that may throw; a timeout's message ends with {@code detail} (a log's
     * tail, what was seen).
     */
    public static void until(String what, Duration limit, Supplier<String> detail, Check condition) {
        if (!within(limit, condition)) {
            String more = detail.get();
            throw new AssertionError("waited " + limit.toSeconds() + " s for " + what + (more.isEmpty() ? "" : "; " + more));
        }
    }

    /** Whether {@code condition} held within {@code limit}: for a wait whose end is not a failure. */
    public static boolean within(Duration limit, Check condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (!condition.ok()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** What {@code find} returns once it finds something; fails naming {@code what} if it does not within {@code limit}. */
    public static <T> T value(String what, Duration limit, Supplier<Optional<T>> find) {
        Object[] found = {null};
        until(what, limit, () -> "", () -> {
            Optional<T> v = find.get();
            v.ifPresent(x -> found[0] = x);
            return v.isPresent();
        });
        @SuppressWarnings("unchecked")
        T t = (T) found[0];
        return t;
    }
}
