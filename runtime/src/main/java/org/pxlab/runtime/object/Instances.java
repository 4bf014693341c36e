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

    /**
     * The value in slot {@code index} as a new reference, or 0 if unset, read as the
     * configuration reads: optimistically with a fallback to the instance's critical section
     * (3.14t's {@code LOAD_ATTR_SLOT}: {@code _Py_TryIncrefCompareStackRef}), under it, or plainly.
     */
    public long slotRef(long o, long index, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        if (cs.reads() == CriticalSections.Reads.OPTIMISTIC) {
            long v = heap.optimisticReads().slot(o, index, thread);
            if (v != OptimisticReads.RETRY_LOCKED) return v;
        }
        cs.enter(o, thread);
        try {
            long v = slot(o, index);
            if (v != 0) heap.incref(v, thread);
            return v;
        } finally {
            cs.exit(o, thread);
        }
    }

    /** The instance dict, or 0. Borrowed. */
    public long dict(long o) {
        return Memory.getLong(o + heap.bodyOffset() + DICT);
    }

    /**
     * Stores into slot {@code index}: steals {@code value}, releases the old value
     * ({@code STORE_ATTR_SLOT} / {@code STORE_ATTR_INSTANCE_VALUE}), in the instance's critical
     * section (3.14t's {@code STORE_ATTR_SLOT} takes {@code LOCK_OBJECT(owner)}).
     */
    public void setSlotTake(long o, long index, long value, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(o, thread);
        try {
            value = heap.admitStolen(o, value, StoreOperation.ATTRIBUTE_SLOT, thread);
            long addr = o + heap.bodyOffset() + SLOTS + 8 * index;
            long old = Memory.getLong(addr);
            Memory.putLongRelease(addr, value);
            // In the section, where 3.14t's STORE_ATTR_SLOT releases it after UNLOCK_OBJECT: a
            // split-brain protected store must release the old value while it still acts as main,
            // and pxlab's deallocation runs no user code and takes no section, so it cannot deadlock.
            heap.xdecref(old, thread);
        } finally {
            cs.exit(o, thread);
        }
    }

    /**
     * The instance dict, created if the class gives instances one. Borrowed. Created in the
     * instance's critical section, so that two threads storing the first attribute create one
     * dict ({@code _PyObject_GetManagedDict} / {@code ensure_managed_dict} in 3.13t).
     */
    public long dictForStore(long o, ThreadContext thread) {
        long d = Memory.getLongAcquire(o + heap.bodyOffset() + DICT);
        if (d != 0) return d;
        CriticalSections cs = heap.sections();
        cs.enter(o, thread);
        try {
            return createDict(o, thread);
        } finally {
            cs.exit(o, thread);
        }
    }

    private long createDict(long o, ThreadContext thread) {
        long body = o + heap.bodyOffset();
        long d = Memory.getLong(body + DICT);
        if (d != 0) return d;
        long type = heap.typeOf(o);
        if ((Memory.getInt(type + heap.bodyOffset() + TypeObjects.FLAGS) & TypeObjects.INSTANCE_DICT) == 0) {
            throw new PyException("AttributeError", "'" + heap.types().typeName(type) + "' object has no __dict__");
        }
        d = heap.dicts().newDict(thread);
        d = heap.admitStolen(o, d, StoreOperation.INSTANCE_DICT, thread);
        Memory.putLongRelease(body + DICT, d);
        return d;
    }
}
