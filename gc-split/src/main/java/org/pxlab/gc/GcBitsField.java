package org.pxlab.gc;

import java.nio.ByteOrder;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;

/**
 * The header's one-byte {@code ob_gc_bits} (PEP 703's {@code PyObject}), read and changed as
 * part of the aligned 4-byte word that holds it. Under {@code per-object-locks} that word also
 * holds {@code ob_flags} and the {@code ob_mutex} byte, which other threads change with CAS at
 * any time, so every change here is a CAS on the whole word that leaves the other bytes alone
 * (FFM has no one-byte CAS). Allocates nothing.
 */
final class GcBitsField {
    /** The header field's name. */
    static final String NAME = "ob_gc_bits";

    private final int wordOffset;
    private final int shift;

    /** @throws IllegalStateException if the header has no {@code ob_gc_bits} of one byte */
    GcBitsField(StructLayout header, String who) {
        boolean oneByte = header.slots().stream()
                .anyMatch(s -> !s.isPadding() && s.field().name().equals(NAME) && s.size() == 1);
        if (!oneByte) {
            throw new IllegalStateException(who + " keeps _PyGC_BITS_TRACKED in the header's one-byte " + NAME
                    + " (PEP 703's PyObject), which this configuration's header lacks: " + header.slots()
                    + "; use a sync discipline that declares it, such as per-object-locks");
        }
        int offset = header.offsetOf(NAME);
        this.wordOffset = offset & ~3;
        int byteInWord = offset & 3;
        this.shift = 8 * (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? byteInWord : 3 - byteInWord);
    }

    /** The object's {@code ob_gc_bits}. */
    int get(long object) {
        return (Memory.getIntVolatile(object + wordOffset) >>> shift) & 0xFF;
    }

    /** Sets bits of {@code ob_gc_bits}. */
    void set(long object, int bits) {
        long w = object + wordOffset;
        int add = (bits & 0xFF) << shift;
        int v = Memory.getIntVolatile(w);
        while (!Memory.compareAndSetInt(w, v, v | add)) v = Memory.getIntVolatile(w);
    }

    /**
     * Sets bits with a plain read and write of the word, for an object no other thread can be
     * locking (one being created or freed), as 3.13t's {@code _PyObject_SET_GC_BITS} does.
     */
    void setOwned(long object, int bits) {
        long w = object + wordOffset;
        Memory.putInt(w, Memory.getInt(w) | ((bits & 0xFF) << shift));
    }

    /** Clears bits with a plain read and write, under the condition of {@link #setOwned}. */
    void clearOwned(long object, int bits) {
        long w = object + wordOffset;
        Memory.putInt(w, Memory.getInt(w) & ~((bits & 0xFF) << shift));
    }

    /** Clears bits of {@code ob_gc_bits}. */
    void clear(long object, int bits) {
        long w = object + wordOffset;
        int keep = ~((bits & 0xFF) << shift);
        int v = Memory.getIntVolatile(w);
        while (!Memory.compareAndSetInt(w, v, v & keep)) v = Memory.getIntVolatile(w);
    }
}
