package org.pxlab.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.pxlab.runtime.projection.MemoryObserver;

/**
 * Simulated memory: every simulated object is a native address, and this class is the only
 * way pxlab reads and writes one.
 *
 * <p><b>Address mapping.</b> Addresses are raw process addresses handed out by allocators
 * (which obtain their chunks from {@link SystemMalloc}). They are read through one unbounded
 * segment, {@code MemorySegment.NULL.reinterpret(Long.MAX_VALUE)}: an access compiles to the
 * load or store itself plus an alignment test, with no table lookup and no liveness check.
 * The price is that nothing stops a stale address: a use after free reads whatever is there
 * now (as in C). Tests and stress runs therefore poison freed blocks
 * ({@link #POISON_ENABLED}), and allocators never give chunks back while the runtime runs.
 * {@code PrimitivesBench} measures this mapping against the same access without pxlab's layers.
 *
 * <p>Creating the unbounded segment is a restricted FFM operation: JVMs that load this class
 * need {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>{@code long} and {@code int} accesses must be naturally aligned; atomic accesses require
 * it on every platform, and pxlab's layouts guarantee it.
 */
public final class Memory {
    private Memory() {}

    /** The whole address space as one segment. */
    @SuppressWarnings("restricted")
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long ZERO_PAGE_BYTES = 4096;
    /** Never written: the source of {@link #zero}'s bulk copies. */
    private static final MemorySegment ZERO_PAGE = java.lang.foreign.Arena.global().allocate(ZERO_PAGE_BYTES, 16);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Byte written over freed blocks when poisoning is on (pymalloc's debug hooks use 0xDD). */
    public static final byte POISON_BYTE = (byte) 0xDD;
    /** A whole word of {@link #POISON_BYTE}s: what a use after free reads. */
    public static final long POISON_WORD = 0xDDDD_DDDD_DDDD_DDDDL;
    /**
     * Whether freed blocks are poisoned and accesses checked: {@code -Dpxlab.poison=true} (on in
     * the test and stress runs). Checked accesses refuse NULL-page and non-canonical addresses
     * (a poison word used as a pointer) with an exception instead of crashing the JVM; with
     * the flag off the check is a constant-false branch the JIT removes.
     */
    public static final boolean POISON_ENABLED = Boolean.getBoolean("pxlab.poison");

    /**
     * Whether accesses are reported to a {@link MemoryObserver}: {@code -Dpxlab.projection=true},
     * read once. Only the projection's counting runs set it; with it off every report is a
     * constant-false branch the JIT removes, so timed runs pay nothing.
     */
    public static final boolean OBSERVED = Boolean.getBoolean("pxlab.projection");
    private static MemoryObserver observer = MemoryObserver.NONE;

    /**
     * Installs the observer of every access (one at a time; {@link MemoryObserver#NONE} removes
     * it). Install it before simulated code runs and remove it after: the field is plain.
     *
     * @throws IllegalStateException unless the JVM runs with {@code -Dpxlab.projection=true}
     */
    public static void observe(MemoryObserver o) {
        if (!OBSERVED) throw new IllegalStateException("observing simulated memory needs -Dpxlab.projection=true");
        observer = java.util.Objects.requireNonNull(o, "observer");
    }

    /** Reports an access; called only under {@code if (OBSERVED)}, so the call is not even compiled when off. */
    private static void seen(long address, long bytes, int kind) {
        observer.access(address, bytes, kind);
    }

    private static long checked(long address) {
        if (POISON_ENABLED && (address < 65536 || address >= (1L << 47))) {
            throw new IllegalStateException(String.format("simulated memory access at 0x%x: a NULL, freed or corrupt reference",
                    address));
        }
        return address;
    }

    public static long getLong(long address) { if (OBSERVED) seen(address, 8, MemoryObserver.LOAD); return ALL.get(ValueLayout.JAVA_LONG, checked(address)); }
    public static void putLong(long address, long value) { if (OBSERVED) seen(address, 8, MemoryObserver.STORE); ALL.set(ValueLayout.JAVA_LONG, checked(address), value); }
    public static int getInt(long address) { if (OBSERVED) seen(address, 4, MemoryObserver.LOAD); return ALL.get(ValueLayout.JAVA_INT, checked(address)); }
    public static void putInt(long address, int value) { if (OBSERVED) seen(address, 4, MemoryObserver.STORE); ALL.set(ValueLayout.JAVA_INT, checked(address), value); }
    public static byte getByte(long address) { if (OBSERVED) seen(address, 1, MemoryObserver.LOAD); return ALL.get(ValueLayout.JAVA_BYTE, checked(address)); }
    public static void putByte(long address, byte value) { if (OBSERVED) seen(address, 1, MemoryObserver.STORE); ALL.set(ValueLayout.JAVA_BYTE, checked(address), value); }
    public static double getDouble(long address) { if (OBSERVED) seen(address, 8, MemoryObserver.LOAD); return ALL.get(ValueLayout.JAVA_DOUBLE, checked(address)); }
    public static void putDouble(long address, double value) { if (OBSERVED) seen(address, 8, MemoryObserver.STORE); ALL.set(ValueLayout.JAVA_DOUBLE, checked(address), value); }

    /** Atomic add; returns the previous value. Volatile (sequentially consistent) semantics. */
    public static long getAndAddLong(long address, long delta) { if (OBSERVED) seen(address, 8, MemoryObserver.ATOMIC); return (long) LONG.getAndAdd(ALL, checked(address), delta); }
    /** Atomic add with release semantics, as a decrement that may publish a free. */
    public static long getAndAddLongRelease(long address, long delta) { if (OBSERVED) seen(address, 8, MemoryObserver.ATOMIC); return (long) LONG.getAndAddRelease(ALL, checked(address), delta); }
    /** Atomic add with no ordering beyond atomicity (Rust's {@code Relaxed}). */
    public static long getAndAddLongRelaxed(long address, long delta) {
        // VarHandle has no plain-ordered getAndAdd; acquire is the weakest RMW it offers and
        // compiles to the same lock xadd on x86-64.
        if (OBSERVED) seen(address, 8, MemoryObserver.ATOMIC);
        return (long) LONG.getAndAddAcquire(ALL, checked(address), delta);
    }
    public static boolean compareAndSetLong(long address, long expected, long value) {
        if (OBSERVED) seen(address, 8, MemoryObserver.ATOMIC);
        return LONG.compareAndSet(ALL, checked(address), expected, value);
    }
    public static long getLongVolatile(long address) { if (OBSERVED) seen(address, 8, MemoryObserver.LOAD); return (long) LONG.getVolatile(ALL, checked(address)); }
    public static long getLongAcquire(long address) { if (OBSERVED) seen(address, 8, MemoryObserver.LOAD); return (long) LONG.getAcquire(ALL, checked(address)); }
    public static void putLongRelease(long address, long value) { if (OBSERVED) seen(address, 8, MemoryObserver.STORE); LONG.setRelease(ALL, checked(address), value); }
    public static void putLongVolatile(long address, long value) { if (OBSERVED) seen(address, 8, MemoryObserver.STORE); LONG.setVolatile(ALL, checked(address), value); }
    public static void putLongOpaque(long address, long value) { if (OBSERVED) seen(address, 8, MemoryObserver.STORE); LONG.setOpaque(ALL, checked(address), value); }
    public static long getLongOpaque(long address) { if (OBSERVED) seen(address, 8, MemoryObserver.LOAD); return (long) LONG.getOpaque(ALL, checked(address)); }
    public static int getAndAddInt(long address, int delta) { if (OBSERVED) seen(address, 4, MemoryObserver.ATOMIC); return (int) INT.getAndAdd(ALL, checked(address), delta); }
    public static boolean compareAndSetInt(long address, int expected, int value) {
        if (OBSERVED) seen(address, 4, MemoryObserver.ATOMIC);
        return INT.compareAndSet(ALL, checked(address), expected, value);
    }
    public static int getIntOpaque(long address) { if (OBSERVED) seen(address, 4, MemoryObserver.LOAD); return (int) INT.getOpaque(ALL, checked(address)); }
    public static void putIntOpaque(long address, int value) { if (OBSERVED) seen(address, 4, MemoryObserver.STORE); INT.setOpaque(ALL, checked(address), value); }
    public static int getIntVolatile(long address) { if (OBSERVED) seen(address, 4, MemoryObserver.LOAD); return (int) INT.getVolatile(ALL, checked(address)); }
    public static void putIntRelease(long address, int value) { if (OBSERVED) seen(address, 4, MemoryObserver.STORE); INT.setRelease(ALL, checked(address), value); }
    /** An acquire fence, as Rust's {@code Arc} issues after the last decrement. */
    public static void acquireFence() { VarHandle.acquireFence(); }

    /** Copies {@code bytes} bytes; the ranges may overlap. */
    public static void copy(long from, long to, long bytes) {
        if (OBSERVED) {
            observer.access(from, bytes, MemoryObserver.LOAD);
            observer.access(to, bytes, MemoryObserver.STORE);
        }
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }

    /** Sets {@code bytes} bytes to zero. Allocates no Java object. */
    public static void zero(long address, long bytes) {
        // A bulk copy from a page of zeros: the JDK's memcpy, several times faster than a loop
        // of checked 8-byte stores (an arena's rollback zeroes megabytes), and no Java object.
        if (bytes > 0) checked(address);
        if (OBSERVED && bytes > 0) observer.access(address, bytes, MemoryObserver.STORE);
        long p = address;
        for (long left = bytes; left > 0; ) {
            long n = Math.min(left, ZERO_PAGE_BYTES);
            MemorySegment.copy(ZERO_PAGE, 0, ALL, p, n);
            p += n;
            left -= n;
        }
    }

    /** Writes the poison pattern over a freed block, if poisoning is on. */
    public static void poison(long address, long bytes) {
        if (POISON_ENABLED) fill(address, bytes, POISON_WORD);
    }

    private static void fill(long address, long bytes, long word) {
        long end = address + bytes;
        long p = address;
        if ((p & 7) == 0) {
            for (; p + 8 <= end; p += 8) putLong(p, word);
        }
        for (; p < end; p++) putByte(p, (byte) word);
    }

    /** Compares two byte ranges of equal length. */
    public static boolean equalBytes(long a, long b, long bytes) {
        if (OBSERVED) {
            observer.access(a, bytes, MemoryObserver.LOAD);
            observer.access(b, bytes, MemoryObserver.LOAD);
        }
        return MemorySegment.mismatch(ALL, a, a + bytes, ALL, b, b + bytes) < 0;
    }

    /** Copies bytes out to a Java array (not for hot paths). */
    public static byte[] toArray(long address, int bytes) {
        byte[] out = new byte[bytes];
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, address, out, 0, bytes);
        return out;
    }

    /** Copies a Java array into simulated memory. */
    public static void fromArray(byte[] source, int offset, long address, int bytes) {
        MemorySegment.copy(source, offset, ALL, ValueLayout.JAVA_BYTE, address, bytes);
    }
}
