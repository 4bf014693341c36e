package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.StoreOperation;

/**
 * Instances of user classes: a pointer to an attribute dict (created on first use, for
 * classes whose instances have one) followed by one word per slot. Slots model both
 * {@code __slots__} and 3.12's inline values: the class dict maps each slot's name to a
 * member descriptor holding its index, so attribute access finds it without a dict lookup
 * on the instance.
 */
public final class Instances {
    /** Body offsets. */
    public static final int DICT = 0, SLOTS = 8;

    private final Heap heap;

    Instances(Heap heap) {
        this.heap = heap;
    }

    static long bodySize(long nslots) {
        return SLOTS + 8 * nslots;
    }

    /** A new, tracked instance of {@code type} with empty slots and no dict. New reference. */
    public long newInstance(long type, ThreadContext thread) {
        long nslots = Memory.getLong(type + heap.bodyOffset() + TypeObjects.NSLOTS);
        long o = heap.allocate(type, TypeKind.INSTANCE, bodySize(nslots), thread);
        long body = o + heap.bodyOffset();
        Memory.putLong(body + DICT, 0L);
        for (long i = 0; i < nslots; i++) Memory.putLong(body + SLOTS + 8 * i, 0L);
        heap.track(o, thread);
        return o;
    }

    /** The value in slot {@code index}, or 0 if unset. Borrowed. */
    public long slot(long o, long index) {
        return Memory.getLong(o + heap.bodyOffset() + SLOTS + 8 * index);
    }

    /** The instance dict, or 0. Borrowed. */
    public long dict(long o) {
        return Memory.getLong(o + heap.bodyOffset() + DICT);
    }

    /**
     * Stores into slot {@code index}: steals {@code value}, releases the old value
     * ({@code STORE_ATTR_SLOT} / {@code STORE_ATTR_INSTANCE_VALUE}).
     */
    public void setSlotTake(long o, long index, long value, ThreadContext thread) {
        value = heap.admitStolen(o, value, StoreOperation.ATTRIBUTE_SLOT, thread);
        long addr = o + heap.bodyOffset() + SLOTS + 8 * index;
        long old = Memory.getLong(addr);
        Memory.putLong(addr, value);
        try {
            heap.xdecref(old, thread);
        } finally {
            heap.storeDone(o, thread);
        }
    }

    /** The instance dict, created if the class gives instances one. Borrowed. */
    public long dictForStore(long o, ThreadContext thread) {
        long body = o + heap.bodyOffset();
        long d = Memory.getLong(body + DICT);
        if (d != 0) return d;
        long type = heap.typeOf(o);
        if ((Memory.getInt(type + heap.bodyOffset() + TypeObjects.FLAGS) & TypeObjects.INSTANCE_DICT) == 0) {
            throw new PyException("AttributeError", "'" + heap.types().typeName(type) + "' object has no __dict__");
        }
        d = heap.dicts().newDict(thread);
        d = heap.admitStolen(o, d, StoreOperation.INSTANCE_DICT, thread);
        Memory.putLong(body + DICT, d);
        heap.storeDone(o, thread);
        return d;
    }
}
