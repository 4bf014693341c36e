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
        Memory.putLong(body + ITEMS, capacity == 0 ? 0L : heap.allocateRaw(heap.spaceOf(o), 8 * capacity, thread));
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

    /** {@code list[index] = item}: steals {@code item}, releases the old item. */
    public void setItemTake(long list, long index, long item, ThreadContext thread) {
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
        Memory.putLong(slot, item);
        try {
            heap.xdecref(old, thread); // under the barrier: a protected store releases the old item as main
        } finally {
            heap.storeDone(list, thread);
        }
    }

    /** {@code _PyList_AppendTakeRef}: appends, stealing {@code item}. */
    public void appendTake(long list, long item, ThreadContext thread) {
        item = heap.admitStolen(list, item, StoreOperation.LIST_APPEND, thread);
        try {
            long body = list + heap.bodyOffset();
            long n = Memory.getLong(body + SIZE);
            if (n == Memory.getLong(body + ALLOCATED)) resize(list, body, n + 1, thread);
            Memory.putLong(Memory.getLong(body + ITEMS) + 8 * n, item);
            Memory.putLong(body + SIZE, n + 1);
        } finally {
            heap.storeDone(list, thread);
        }
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
        long items = heap.allocateRaw(space, 8 * newAllocated, thread);
        long keep = Math.min(n, newSize);
        if (keep > 0) Memory.copy(oldItems, items, 8 * keep);
        if (oldItems != 0) heap.freeRaw(space, oldItems, 8 * allocated, thread);
        Memory.putLong(body + ITEMS, items);
        Memory.putLong(body + ALLOCATED, newAllocated);
    }

    /**
     * {@code list.copy()} ({@code list_copy_impl}, {@code list_slice}): a new list whose items
     * block holds exactly the items, each with a new reference. New reference.
     */
    public long copy(long list, ThreadContext thread) {
        long n = size(list);
        long c = newList(n, thread);
        for (long i = 0; i < n; i++) appendTake(c, heap.newRef(getItem(list, i), thread), thread);
        return c;
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
        long body = list + heap.bodyOffset();
        long n = Memory.getLong(body + SIZE);
        if (n == 0) throw new PyException("IndexError", "pop from empty list");
        if (index < 0) index += n;
        if (index < 0 || index >= n) throw new PyException("IndexError", "pop index out of range");
        heap.admitRemoval(list, StoreOperation.LIST_REMOVE, thread);
        try {
            return popAdmitted(list, body, n, index, thread);
        } finally {
            heap.storeDone(list, thread);
        }
    }

    private long popAdmitted(long list, long body, long n, long index, ThreadContext thread) {
        long items = Memory.getLong(body + ITEMS);
        long v = Memory.getLong(items + 8 * index);
        long after = n - 1;
        if (after == 0) {
            heap.incref(v, thread);
            clear(list, thread);
            return v;
        }
        if (after - index > 0) Memory.copy(items + 8 * (index + 1), items + 8 * index, 8 * (after - index));
        long allocated = Memory.getLong(body + ALLOCATED);
        if (allocated >= after && after >= (allocated >> 1)) {
            Memory.putLong(body + SIZE, after);
        } else {
            resize(list, body, after, thread); // list_resize's shrink: a new block, the items copied
            Memory.putLong(body + SIZE, after);
        }
        return v;
    }

    /** {@code list.clear()} / {@code list_clear}: empties the list first, then releases the old items. */
    public void clear(long list, ThreadContext thread) {
        long body = list + heap.bodyOffset();
        long items = Memory.getLong(body + ITEMS);
        long n = Memory.getLong(body + SIZE);
        long allocated = Memory.getLong(body + ALLOCATED);
        if (items == 0) return;
        heap.admitRemoval(list, StoreOperation.LIST_CLEAR, thread);
        try {
            Memory.putLong(body + SIZE, 0L);
            Memory.putLong(body + ALLOCATED, 0L);
            Memory.putLong(body + ITEMS, 0L);
            for (long i = 0; i < n; i++) heap.xdecref(Memory.getLong(items + 8 * i), thread);
            heap.freeRaw(heap.spaceOf(list), items, 8 * allocated, thread);
        } finally {
            heap.storeDone(list, thread);
        }
    }

    static void freeItems(Heap heap, Space space, long body, ThreadContext thread) {
        long items = Memory.getLong(body + ITEMS);
        if (items != 0) heap.freeRaw(space, items, 8 * Memory.getLong(body + ALLOCATED), thread);
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
        if (i < size(list)) {
            Memory.putLong(body + ITER_INDEX, i + 1);
            return heap.newRef(getItem(list, i), thread);
        }
        Memory.putLong(body + ITER_LIST, 0L);
        heap.decref(list, thread);
        return 0;
    }
}
