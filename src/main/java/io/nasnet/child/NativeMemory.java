package io.nasnet.child;

import org.bytedeco.javacpp.Pointer;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a JVM that trains children near the memory the children are allowed. ND4J's oneDNN
 * operations allocate and free a buffer per call (each convolution reorders its input and output to
 * oneDNN's blocked layouts); glibc keeps the freed memory, fragmented, so a NASNet-A child that
 * needs about 1.1 GB grows the process to 3-4 GB. While children with a memory limit train, the
 * process's limit is the sum of theirs, and {@link #release()}, called after every convolution and
 * before every iteration, hands freed memory back to the OS ({@code malloc_trim}, through JavaCPP)
 * whenever the resident size is over it. The price is page faults when that memory is needed
 * again: about 10% of training speed at 1.4 GB for a batch-64 N=1/F=16 child.
 *
 * <p>Only freed memory is released: a limit below what the children hold (DL4J's workspaces keep
 * every activation of a batch) is not enforced, and the first iteration, which DL4J runs outside
 * its workspaces while it sizes them, peaks above the steady state.
 */
public final class NativeMemory {

    private static final AtomicLong LIMIT = new AtomicLong();
    private static final Method TRIM = trimMethod();

    private NativeMemory() {
    }

    /**
     * Adds {@code bytes} to the process's limit until the returned handle is closed; 0 or less
     * reserves nothing (no limit while only such children train).
     */
    public static Reservation reserve(long bytes) {
        long b = Math.max(0, bytes);
        LIMIT.addAndGet(b);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                LIMIT.addAndGet(-b);
            }
        };
    }

    /** The process's current limit in bytes; 0 = none. */
    public static long limit() {
        return LIMIT.get();
    }

    /** Returns freed native memory to the OS if the process is over its limit; true if it tried. */
    public static boolean release() {
        long limit = LIMIT.get();
        if (limit <= 0 || Pointer.physicalBytes() <= limit) {
            return false;
        }
        trim();
        return true;
    }

    /** Returns every freed page of the native heap to the OS now, whatever the limit. */
    public static void trim() {
        try {
            TRIM.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JavaCPP's Pointer.trimMemory() failed", e);
        }
    }

    private static Method trimMethod() {
        try {
            Method m = Pointer.class.getDeclaredMethod("trimMemory");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("JavaCPP has no Pointer.trimMemory() any more: " + e);
        }
    }

    /** A child's share of the limit; closing it (once or more) gives the share back. */
    @FunctionalInterface
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }
}
