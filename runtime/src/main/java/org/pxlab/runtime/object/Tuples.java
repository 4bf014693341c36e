package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.StoreOperation;

/** {@code tuple}: a size and the items inline ({@code PyTupleObject}). */
public final class Tuples {
    /** Body offsets. */
    public static final int SIZE = 0, ITEMS = 8;

    private final Heap heap;

    Tuples(Heap heap) {
        this.heap = heap;
    }

    static long bodySize(long n) {
        return ITEMS + 8 * n;
    }

    /**
     * A tuple of {@code n} empty slots, not yet tracked: the caller fills every slot with
     * {@link #initItem} and then calls {@link Heap#track}. New reference.
     */
    public long allocate(long n, ThreadContext thread) {
        long o = heap.allocate(heap.types().tupleType(), TypeKind.TUPLE, bodySize(n), thread);
        long body = o + heap.bodyOffset();
        Memory.putLong(body + SIZE, n);
        for (long i = 0; i < n; i++) Memory.putLong(body + ITEMS + 8 * i, 0L);
        return o;
    }

    /** Fills a slot of a tuple under construction; steals {@code item}. */
    public void initItem(long tuple, long index, long item, ThreadContext thread) {
        item = heap.admitStolen(tuple, item, StoreOperation.TUPLE_BUILD, thread);
        Memory.putLong(tuple + heap.bodyOffset() + ITEMS + 8 * index, item);
    }

    /** A tracked tuple holding the given items; the references are stolen. New reference. */
    public long of(ThreadContext thread, long... items) {
        long t = allocate(items.length, thread);
        for (int i = 0; i < items.length; i++) initItem(t, i, items[i], thread);
        heap.track(t, thread);
        return t;
    }

    public long size(long tuple) {
        return Memory.getLong(tuple + heap.bodyOffset() + SIZE);
    }

    /**
     * Item {@code index}. Borrowed.
     *
     * @throws PyException IndexError when out of range
     */
    public long getItem(long tuple, long index) {
        long body = tuple + heap.bodyOffset();
        long n = Memory.getLong(body + SIZE);
        if (index < 0) index += n;
        if (index < 0 || index >= n) throw new PyException("IndexError", "tuple index out of range");
        return Memory.getLong(body + ITEMS + 8 * index);
    }
}
