package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * {@code int}, {@code float} and {@code bool}. Ints are one machine word (pxlab has no
 * bignums). As in CPython 3.12, the ints -5..256 are preallocated and immortal, and
 * {@link #newInt} returns them without touching their count ({@code get_small_int}).
 */
public final class Numbers {
    /** Body offset of the value of an int, bool or float. */
    public static final int VALUE = 0;
    /** Smallest and largest cached small int. */
    public static final int SMALL_MIN = -5, SMALL_MAX = 256;

    private final Heap heap;
    private long[] smallInts;

    Numbers(Heap heap) {
        this.heap = heap;
    }

    void bootstrap(ThreadContext thread) {
        smallInts = new long[SMALL_MAX - SMALL_MIN + 1];
        for (int v = SMALL_MIN; v <= SMALL_MAX; v++) {
            long o = allocateInt(v, thread);
            heap.spaceOf(o).refcount().makeImmortal(o);
            smallInts[v - SMALL_MIN] = o;
        }
    }

    /** An int. New reference (a small int's count is not touched: it is immortal). */
    public long newInt(long value, ThreadContext thread) {
        if (value >= SMALL_MIN && value <= SMALL_MAX) return smallInts[(int) value - SMALL_MIN];
        return allocateInt(value, thread);
    }

    private long allocateInt(long value, ThreadContext thread) {
        long o = heap.allocate(heap.types().intType(), TypeKind.INT, 8, thread);
        Memory.putLong(o + heap.bodyOffset() + VALUE, value);
        return o;
    }

    /** A float. New reference. */
    public long newFloat(double value, ThreadContext thread) {
        long o = heap.allocate(heap.types().floatType(), TypeKind.FLOAT, 8, thread);
        Memory.putDouble(o + heap.bodyOffset() + VALUE, value);
        return o;
    }

    /** Overwrites a float's value in place (only for a float nothing else references). */
    public void setFloat(long o, double value) {
        Memory.putDouble(o + heap.bodyOffset() + VALUE, value);
    }

    /** The value of an int or bool. */
    public long intValue(long o) {
        return Memory.getLong(o + heap.bodyOffset() + VALUE);
    }

    /** The value of a float. */
    public double floatValue(long o) {
        return Memory.getDouble(o + heap.bodyOffset() + VALUE);
    }

    /** {@code True} or {@code False} (immortal; borrowed). */
    public long bool(boolean value) {
        return value ? heap.types().trueObject() : heap.types().falseObject();
    }
}
