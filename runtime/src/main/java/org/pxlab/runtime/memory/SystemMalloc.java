package org.pxlab.runtime.memory;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The C library's {@code malloc}, {@code calloc} and {@code free}, called through FFM downcalls.
 *
 * <p>This is where simulated memory comes from: allocators take their arenas, pools and
 * large blocks here, just as pymalloc takes its arenas from {@code mmap} and its large
 * blocks from {@code malloc}. The calls are marked critical (no thread-state transition),
 * allocate no Java object once linked, and return 16-byte-aligned addresses on x86-64 and
 * AArch64 glibc. Nothing here is thread-confined: glibc's malloc is thread safe.
 */
public final class SystemMalloc {
    private SystemMalloc() {}

    private static final MethodHandle MALLOC;
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle[] handles = link();
        MALLOC = handles[0];
        CALLOC = handles[1];
        FREE = handles[2];
    }

    @SuppressWarnings("restricted")
    private static MethodHandle[] link() {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        Linker.Option critical = Linker.Option.critical(false);
        return new MethodHandle[] {
            linker.downcallHandle(libc.find("malloc").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), critical),
            linker.downcallHandle(libc.find("calloc").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), critical),
            linker.downcallHandle(libc.find("free").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), critical)};
    }

    /**
     * Allocates {@code bytes} bytes (uninitialised).
     *
     * @throws SimulatedOutOfMemoryError if the C library refuses
     */
    public static long malloc(long bytes) {
        long p;
        try {
            p = (long) MALLOC.invokeExact(bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("malloc downcall failed", t);
        }
        if (p == 0) throw new SimulatedOutOfMemoryError("malloc(" + bytes + ") returned NULL");
        return p;
    }

    /** Allocates {@code bytes} zeroed bytes. */
    public static long calloc(long bytes) {
        long p;
        try {
            p = (long) CALLOC.invokeExact(1L, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("calloc downcall failed", t);
        }
        if (p == 0) throw new SimulatedOutOfMemoryError("calloc(" + bytes + ") returned NULL");
        return p;
    }

    /** Returns a block obtained from {@link #malloc} or {@link #calloc}. */
    public static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException("free downcall failed", t);
        }
    }
}
