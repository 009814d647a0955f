package io.nasnet.child.runtime;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.MemoryManager;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a JVM that trains children near the memory the children are allowed. ND4J's oneDNN
 * operations allocate and free a buffer per call (each convolution reorders its input and output to
 * oneDNN's blocked layouts); glibc keeps the freed memory, fragmented, so a NASNet-A child that
 * needs about 1.1 GB grows the process to between two and three times that (figures:
 * {@code docs/performance.md}). While children with a memory limit train, the
 * process's limit is the sum of theirs, and {@link #release()}, called after every convolution,
 * hands freed memory back to the OS ({@code malloc_trim}, through JavaCPP) whenever the resident
 * size is over it. The price is page faults when that memory is needed
 * again: training speed, how much depending on the machine (docs/performance.md).
 *
 * <p>DL4J sizes its workspaces during a network's first iteration, running it on separately
 * allocated arrays that it frees only at the end, just before it allocates (and zeroes) the
 * workspace it has sized. So that the freed arrays are not still resident
 * then, a limit also makes ND4J's memory manager trim before every large allocation that would take
 * the process over the limit.
 *
 * <p>Only freed memory is released: a limit below what the children hold (DL4J's workspaces keep
 * every activation of a batch) is not enforced.
 *
 * <p>Where jemalloc serves malloc (preloaded by the scripts, jobs/allocator.sh) freed memory is kept
 * unfragmented and reused, and given back by {@link Jemalloc}'s purge instead of the trim: when a
 * workspace is sized (what the sizing iteration freed would otherwise stay beside it, 0.6 GB for the
 * ChildSpeed network) and after each child ({@link #afterChild()}). That keeps a child near the
 * memory it holds without a limit and without losing speed (docs/performance.md).
 */
public final class NativeMemory {

    private static final AtomicLong LIMIT = new AtomicLong();
    private static final Method TRIM = trimMethod();
    /** jemalloc's purge where it serves malloc and the foreign linker is enabled; else null (glibc's trim then). */
    private static final Jemalloc JEMALLOC = jemalloc();
    /** Allocations from this size on are workspaces being sized; smaller ones are not checked. */
    static final long LARGE = 16L << 20;
    /** The proxy {@link #checkLargeAllocations()} put in ND4J's place, once it has. */
    private static MemoryManager checking;

    private NativeMemory() {
    }

    /**
     * Adds {@code bytes} to the process's limit until the returned handle is closed; 0 or less
     * reserves nothing (no limit while only such children train).
     */
    public static Reservation reserve(long bytes) {
        long b = Math.max(0, bytes);
        if (b > 0 || JEMALLOC != null) {
            checkLargeAllocations();
        }
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
        return release(0);
    }

    /**
     * Returns freed native memory to the OS if the process would be over its limit once it holds
     * {@code incoming} more bytes; true if it tried.
     */
    static boolean release(long incoming) {
        long limit = LIMIT.get();
        if (limit <= 0 || Pointer.physicalBytes() + incoming <= limit) {
            return false;
        }
        giveBack();
        return true;
    }

    /**
     * Hands the memory a finished child freed back to the OS (a child's workspaces are destroyed by
     * then), so that the next child starts where the first did.
     */
    public static void afterChild() {
        giveBack();
    }

    /** Whether jemalloc's purge is what gives memory back (else glibc's trim). */
    public static boolean purges() {
        return JEMALLOC != null;
    }

    private static void giveBack() {
        if (JEMALLOC != null) {
            JEMALLOC.purge();
        } else {
            trim();
        }
    }

    /** Returns every freed page of the native heap to the OS now, whatever the limit. */
    public static void trim() {
        try {
            TRIM.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JavaCPP's Pointer.trimMemory() failed", e);
        }
    }

    /**
     * Puts a proxy of ND4J's memory manager in its place that calls {@link #release(long)} before
     * allocations of {@link #LARGE} bytes or more. Workspaces take the manager when they are created,
     * so this happens before a limited child builds its network; once per process.
     */
    private static synchronized void checkLargeAllocations() {
        MemoryManager current = Nd4j.getMemoryManager();
        if (current == checking) {
            return;
        }
        MemoryManager proxy = (MemoryManager) Proxy.newProxyInstance(MemoryManager.class.getClassLoader(),
                new Class<?>[] {MemoryManager.class}, (self, method, args) -> {
                    if (method.getName().equals("allocate") && (long) args[0] >= LARGE) {
                        if (JEMALLOC == null) {
                            release((long) args[0]);
                        } else if (args.length > 2 && Boolean.TRUE.equals(args[2])) {
                            // a workspace, allocated zeroed once it is sized: what the iteration that
                            // sized it freed goes back first (other large buffers come and go every step)
                            JEMALLOC.purge();
                        }
                    }
                    try {
                        return method.invoke(current, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try {
            Field f = Nd4j.class.getDeclaredField("memoryManager");
            f.setAccessible(true);
            f.set(null, proxy);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ND4J has no static field Nd4j.memoryManager any more", e);
        }
        checking = proxy;
    }

    private static Jemalloc jemalloc() {
        try {
            return Jemalloc.preloaded();
        } catch (Exception | LinkageError e) {
            // glibc's malloc, or a JVM without the foreign linker's options: trim instead
            return null;
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
