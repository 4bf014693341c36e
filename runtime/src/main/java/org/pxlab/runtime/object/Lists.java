package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.StoreOperation;

/**
 * {@code list} and its iterator. A list body holds its size, its capacity and a pointer to a
 * separate items block in the same space ({@code PyListObject.ob_item}); the block grows by
 * CPython 3.12's {@code list_resize} rule, about 1.125x plus 6, rounded to 4.
 */
public final class Lists {
    /** List body offsets. */
    public static final int SIZE = 0, ALLOCATED = 8, ITEMS = 16, BODY = 24;
    /** Iterator body offsets. */
    public static final int ITER_LIST = 0, ITER_INDEX = 8, ITERATOR_BODY = 16;

    private final Heap heap;

    Lists(Heap heap) {
        this.heap = heap;
    }

    /** An empty, tracked list with room for {@code capacity} items. New reference. */
    public long newList(long capacity, ThreadContext thread) {
        long o = heap.allocate(heap.types().listType(), TypeKind.LIST, BODY, thread);
        long body = o + heap.bodyOffset();
        Memory.putLong(body + SIZE, 0L);
        Memory.putLong(body + ALLOCATED, capacity);
        Memory.putLong(body + ITEMS, capacity == 0 ? 0L : newItems(heap.spaceOf(o), capacity, 0, thread));
        heap.track(o, thread);
        return o;
    }

    public long size(long list) {
        return Memory.getLong(list + heap.bodyOffset() + SIZE);
    }

    /** Item {@code index} (negative counts from the end). Borrowed. */
    public long getItem(long list, long index) {
        long body = list + heap.bodyOffset();
        long n = Memory.getLong(body + SIZE);
        if (index < 0) index += n;
        if (index < 0 || index >= n) throw new PyException("IndexError", "list index out of range");
        return Memory.getLong(Memory.getLong(body + ITEMS) + 8 * index);
    }

    /**
     * {@code list[index]} (negative counts from the end) as a new reference, read as the
     * configuration reads ({@link CriticalSections#reads()}): {@code BINARY_SUBSCR_LIST_INT},
     * {@code list_get_item_ref} in 3.13t.
     *
     * @throws PyException IndexError if out of range
     */
    public long getItemRef(long list, long index, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        if (cs.reads() == CriticalSections.Reads.OPTIMISTIC) {
            long v = heap.optimisticReads().listItem(list, index, thread);
            if (v != OptimisticReads.RETRY_LOCKED) return v;
        }
        cs.enter(list, thread);
        try {
            return heap.newRef(getItem(list, index), thread);
        } finally {
            cs.exit(list, thread);
        }
    }

    /**
     * {@code list[index] = item}: steals {@code item}, releases the old item. In the list's
     * critical section ({@code list_ass_item}; 3.14's {@code STORE_SUBSCR_LIST_INT} locks it).
     */
    public void setItemTake(long list, long index, long item, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(list, thread);
        try {
            storeItem(list, index, item, thread);
        } finally {
            cs.exit(list, thread);
        }
    }

    private void storeItem(long list, long index, long item, ThreadContext thread) {
        long body = list + heap.bodyOffset();
        long n = Memory.getLong(body + SIZE);
        if (index < 0) index += n;
        if (index < 0 || index >= n) {
            heap.decref(item, thread);
            throw new PyException("IndexError", "list assignment index out of range");
        }
        item = heap.admitStolen(list, item, StoreOperation.LIST_SET_ITEM, thread);
        long slot = Memory.getLong(body + ITEMS) + 8 * index;
        long old = Memory.getLong(slot);
        Memory.putLongRelease(slot, item);
        heap.xdecref(old, thread); // in the section: a protected store releases the old item as main
    }

    /**
     * {@code _PyList_AppendTakeRef}: appends, stealing {@code item}. In the list's critical
     * section ({@code PyList_Append}, {@code list_append} are {@code @critical_section} in
     * 3.13t; 3.14's {@code CALL_LIST_APPEND} locks it).
     */
    public void appendTake(long list, long item, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(list, thread);
        try {
            initAppendTake(list, item, thread);
        } finally {
            cs.exit(list, thread);
        }
    }

    /**
     * Appends, stealing {@code item}, to a list that no other thread can reach yet (one being
     * built: {@code BUILD_LIST}, {@code list.copy}), without its critical section, or with it held.
     */
    public void initAppendTake(long list, long item, ThreadContext thread) {
        item = heap.admitStolen(list, item, StoreOperation.LIST_APPEND, thread);
        long body = list + heap.bodyOffset();
        long n = Memory.getLong(body + SIZE);
        if (n == Memory.getLong(body + ALLOCATED)) resize(list, body, n + 1, thread);
        Memory.putLong(Memory.getLong(body + ITEMS) + 8 * n, item);
        // The item before the size that covers it, for lock-free readers (OptimisticReads).
        Memory.putLongRelease(body + SIZE, n + 1);
    }

    /** {@code PyList_Append}: appends a new reference to {@code item}. */
    public void append(long list, long item, ThreadContext thread) {
        heap.incref(item, thread);
        appendTake(list, item, thread);
    }

    /**
     * {@code list_resize} past its in-place case: a block of the new allocation, the first
     * {@code min(size, newSize)} items copied into it, the old block freed. Leaves the size to
     * the caller.
     */
    private void resize(long list, long body, long newSize, ThreadContext thread) {
        long allocated = Memory.getLong(body + ALLOCATED);
        long n = Memory.getLong(body + SIZE);
        long newAllocated = (newSize + (newSize >> 3) + 6) & ~3L;
        if (newSize - n > newAllocated - newSize) newAllocated = (newSize + 3) & ~3L;
        Space space = heap.spaceOf(list);
        long oldItems = Memory.getLong(body + ITEMS);
        long keep = Math.min(n, newSize);
        long items = newItems(space, newAllocated, keep, thread);
        if (keep > 0) Memory.copy(oldItems, items, 8 * keep);
        // Lock-free readers bound the block they read by ALLOCATED read after ITEMS: lower it
        // before a smaller block is published, raise it after a larger one (OptimisticReads).
        Memory.putLongRelease(body + ALLOCATED, Math.min(allocated, newAllocated));
        Memory.putLongRelease(body + ITEMS, items);
        Memory.putLongRelease(body + ALLOCATED, newAllocated);
        if (oldItems != 0) heap.freeRawUnlinked(space, oldItems, 8 * allocated, thread);
    }

    /**
     * An items block for {@code capacity} items; under optimistic reads the slots from
     * {@code filled} on are zeroed (3.13t's {@code list_resize} memsets them), so that no
     * reader finds garbage in a slot it may read.
     */
    private long newItems(Space space, long capacity, long filled, ThreadContext thread) {
        long items = heap.allocateRaw(space, 8 * capacity, thread);
        if (heap.sections().reads() == CriticalSections.Reads.OPTIMISTIC) Memory.zero(items + 8 * filled, 8 * (capacity - filled));
        return items;
    }

    /**
     * {@code list.copy()} ({@code list_copy_impl}, {@code list_slice}): a new list whose items
     * block holds exactly the items, each with a new reference. New reference.
     */
    public long copy(long list, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(list, thread); // list_copy_impl is @critical_section: the source holds still
        try {
            long n = size(list);
            long c = newList(n, thread);
            for (long i = 0; i < n; i++) initAppendTake(c, heap.newRef(getItem(list, i), thread), thread);
            return c;
        } finally {
            cs.exit(list, thread);
        }
    }

    /**
     * {@code list.pop(index)} ({@code list_pop_impl}): the item's reference moves from the list
     * to the caller (returned). When items remain, the later ones slide down and the list is
     * resized by {@code list_resize}'s rule (its block shrinks once under half full); when it
     * was the only item, CPython takes a new reference to it and {@code _list_clear}s the
     * list, which releases the list's one and frees the items block.
     *
     * @throws PyException IndexError on an empty list or an index out of range
     */
    public long pop(long list, long index, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(list, thread); // list_pop_impl is @critical_section
        try {
            return popLocked(list, index, thread);
        } finally {
            cs.exit(list, thread);
        }
    }

    private long popLocked(long list, long index, ThreadContext thread) {
        long body = list + heap.bodyOffset();
        long n = Memory.getLong(body + SIZE);
        if (n == 0) throw new PyException("IndexError", "pop from empty list");
        if (index < 0) index += n;
        if (index < 0 || index >= n) throw new PyException("IndexError", "pop index out of range");
        heap.admitRemoval(list, StoreOperation.LIST_REMOVE, thread);
        long items = Memory.getLong(body + ITEMS);
        long v = Memory.getLong(items + 8 * index);
        long after = n - 1;
        if (after == 0) {
            heap.incref(v, thread);
            clearLocked(list, true, thread);
            return v;
        }
        if (after - index > 0) Memory.copy(items + 8 * (index + 1), items + 8 * index, 8 * (after - index));
        Memory.putLongRelease(items + 8 * after, 0L); // the vacated slot holds no stale pointer
        long allocated = Memory.getLong(body + ALLOCATED);
        if (allocated >= after && after >= (allocated >> 1)) {
            Memory.putLong(body + SIZE, after);
        } else {
            resize(list, body, after, thread); // list_resize's shrink: a new block, the items copied
            Memory.putLong(body + SIZE, after);
        }
        return v;
    }

    /**
     * {@code list.clear()} / {@code list_clear}: empties the list first, then releases the old
     * items. In the list's critical section ({@code list_clear_impl} is {@code @critical_section}).
     */
    public void clear(long list, ThreadContext thread) {
        clear(list, true, thread);
    }

    /**
     * {@code tp_clear} ({@code list_clear_slot}): as {@link #clear}, but the old items block is
     * freed at once even under optimistic reads. Only a collector clears a list this way, and
     * only a list it found unreachable: no thread can reach the list to start a read, and the
     * collector found it with the world stopped, when no read was under way. CPython 3.13t's
     * {@code list_clear_slot} passes {@code is_resize = false} to {@code list_clear_impl} for
     * the same reason ({@code Objects/listobject.c}), so {@code delete_garbage} leaves no
     * block waiting for QSBR.
     */
    void clearUnreachable(long list, ThreadContext thread) {
        clear(list, false, thread);
    }

    private void clear(long list, boolean mayBeRead, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        cs.enter(list, thread);
        try {
            clearLocked(list, mayBeRead, thread);
        } finally {
            cs.exit(list, thread);
        }
    }

    private void clearLocked(long list, boolean mayBeRead, ThreadContext thread) {
        long body = list + heap.bodyOffset();
        long items = Memory.getLong(body + ITEMS);
        long n = Memory.getLong(body + SIZE);
        long allocated = Memory.getLong(body + ALLOCATED);
        if (items == 0) return;
        heap.admitRemoval(list, StoreOperation.LIST_CLEAR, thread);
        Memory.putLongRelease(body + SIZE, 0L);
        Memory.putLongRelease(body + ALLOCATED, 0L);
        Memory.putLongRelease(body + ITEMS, 0L);
        for (long i = 0; i < n; i++) heap.xdecref(Memory.getLong(items + 8 * i), thread);
        if (mayBeRead) heap.freeRawUnlinked(heap.spaceOf(list), items, 8 * allocated, thread);
        else heap.freeRaw(heap.spaceOf(list), items, 8 * allocated, thread);
    }

    static void freeItems(Heap heap, Space space, long body, ThreadContext thread) {
        long items = Memory.getLong(body + ITEMS);
        if (items != 0) heap.freeRaw(space, items, 8 * Memory.getLong(body + ALLOCATED), thread);
    }

    /** Item {@code i} as a new reference, or 0 past the end ({@code listiter_next}'s {@code list_get_item_ref}). */
    private long itemOrEnd(long list, long i, ThreadContext thread) {
        CriticalSections cs = heap.sections();
        if (cs.reads() == CriticalSections.Reads.OPTIMISTIC) {
            long v = heap.optimisticReads().listItem(list, i, thread);
            if (v != OptimisticReads.RETRY_LOCKED) return v;
        }
        cs.enter(list, thread);
        try {
            return i < size(list) ? heap.newRef(getItem(list, i), thread) : 0;
        } finally {
            cs.exit(list, thread);
        }
    }

    /** {@code iter(list)}: a new iterator holding a new reference to the list. New reference. */
    public long newIterator(long list, ThreadContext thread) {
        long it = heap.allocate(heap.types().listIteratorType(), TypeKind.LIST_ITERATOR, ITERATOR_BODY, thread);
        long body = it + heap.bodyOffset();
        Memory.putLong(body + ITER_LIST, heap.newRef(list, thread));
        Memory.putLong(body + ITER_INDEX, 0L);
        heap.track(it, thread);
        return it;
    }

    /**
     * The iterator's next item as a new reference, or 0 when exhausted; on exhaustion the
     * iterator drops its list, as {@code FOR_ITER_LIST} does in 3.12.
     */
    public long next(long iterator, ThreadContext thread) {
        long body = iterator + heap.bodyOffset();
        long list = Memory.getLong(body + ITER_LIST);
        if (list == 0) return 0;
        long i = Memory.getLong(body + ITER_INDEX);
        long item = itemOrEnd(list, i, thread);
        if (item != 0) {
            Memory.putLong(body + ITER_INDEX, i + 1);
            return item;
        }
        Memory.putLong(body + ITER_LIST, 0L);
        heap.decref(list, thread);
        return 0;
    }
}
