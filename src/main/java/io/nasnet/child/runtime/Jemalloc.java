package io.nasnet.child.runtime;

import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jemalloc's {@code mallctl("arena.<all>.purge")}, called through Java 17's foreign linker (the JVM
 * started with {@code --add-modules=jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}, as the
 * pom's and the scripts' JVM options say): hands every unused page of every arena back to the OS at
 * once. The scripts run jemalloc without time-based purging (jobs/allocator.sh), the fastest for a
 * child's steady state, so {@link NativeMemory} purges at the moments that need it: before a workspace
 * is allocated and after a child.
 */
final class Jemalloc {

    /** jemalloc's MALLCTL_ARENAS_ALL. */
    private static final String PURGE_ALL = "arena.4096.purge";
    private static final Pattern LIBRARY = Pattern.compile("(/\\S*libjemalloc\\S*\\.so\\S*)");

    private final MethodHandle mallctl;

    private Jemalloc(MethodHandle mallctl) {
        this.mallctl = mallctl;
    }

    /** The purge of the jemalloc that serves this process's malloc; null when it is not preloaded. */
    static Jemalloc preloaded() throws Exception {
        Matcher m = LIBRARY.matcher(Files.readString(Path.of("/proc/self/maps")));
        if (!m.find()) {
            return null;
        }
        // already mapped by the preload: loading it again only makes its symbols visible here
        System.load(m.group(1));
        MemoryAddress symbol = SymbolLookup.loaderLookup().lookup("mallctl").orElseThrow(
                () -> new IllegalStateException(m.group(1) + " has no mallctl"));
        MethodHandle h = CLinker.getInstance().downcallHandle(symbol,
                MethodType.methodType(int.class, MemoryAddress.class, MemoryAddress.class, MemoryAddress.class,
                        MemoryAddress.class, long.class),
                FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_POINTER,
                        CLinker.C_POINTER, CLinker.C_LONG));
        return new Jemalloc(h);
    }

    /** Purges every arena's unused pages; jemalloc's error code, 0 on success. */
    int purge() {
        try (ResourceScope scope = ResourceScope.newConfinedScope()) {
            MemorySegment name = CLinker.toCString(PURGE_ALL, scope);
            return (int) mallctl.invokeExact(name.address(), MemoryAddress.NULL, MemoryAddress.NULL,
                    MemoryAddress.NULL, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("jemalloc's mallctl(" + PURGE_ALL + ") failed", t);
        }
    }
}
