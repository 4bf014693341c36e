package org.pxlab.refcount;

import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * CPython 3.14t's per-thread reference counts ({@code per-thread-slots}), after
 * {@code Python/uniqueid.c} and {@code Include/internal/pycore_object.h}
 * ({@code _Py_INCREF_TYPE}, {@code _Py_DECREF_TYPE}, {@code _Py_INCREF_CODE}). Written from
 * their description, not copied.
 *
 * <p><b>Ids.</b> A heap type or a code object gets a unique id from the interpreter's pool when
 * it is made ({@code _PyObject_AssignUniqueId}); the pool is a table whose free entries form a
 * free list, doubled (from 8) when the list is empty ({@code resize_interp_type_id_pool}). The id
 * is written into the object (pxlab: {@code TypeObjects.UNIQUE_ID}, {@code Functions.CODE_UNIQUE_ID});
 * 0 means none. Ids are 1-based, the table index is {@code id - 1}, as in 3.14's release. When
 * the collector finds such an object unreachable it gives the id back
 * ({@code _PyObject_DisablePerThreadRefcounting}): the object's id word is zeroed first, so that
 * the decrements its dying instances and functions still make go to the object itself, and the
 * id goes to the head of the free list, so the next object made reuses it. No thread's slot can
 * hold a count for it then: the collector merged every slot in the same pause, and nothing can
 * reach garbage to count it again.
 *
 * <p><b>Slots.</b> Each thread has a plain {@code long[]} indexed by id
 * ({@code tstate->refcounts.values}). An instance's reference to its type and a function's to
 * its code are counted there, with a plain increment of the creating thread's own slot: no
 * atomic and no write to the shared object. A thread whose array is too short grows it to the
 * pool's size on the slow path ({@code resize_local_refcounts}); an object without an id (0),
 * or a thread that has already finalized its array, counts on the object itself instead.
 * Decrements go to the slot of the thread that makes them, which may go negative (an instance
 * made by one thread and freed by another); only the sum over threads is the count.
 *
 * <p><b>Merging</b> ({@code _PyObject_MergePerThreadRefcounts}): every non-zero slot is added to
 * its object's {@code ob_ref_shared} with one atomic add and zeroed, under the pool lock; the
 * collector merges every thread's with the world stopped ({@code gc_collect_internal}), and a
 * thread its own when it exits ({@code _PyObject_FinalizePerThreadRefcounts}, which also drops the
 * array). The objects stay deferred meanwhile, so a count that misses slots never reaches zero.
 */
final class PerThreadRefCounts {
    /** {@code POOL_MIN_SIZE}. */
    static final int POOL_MIN_SIZE = 8;

    private final BiasedRefCount counts;
    /** {@code pool->mutex}. */
    private final Object poolLock = new Object();
    /** Per id - 1: the object holding the id, 0 when free. */
    private long[] objects = new long[0];
    /** Per id - 1: the address of the object's id word. */
    private long[] idFields = new long[0];
    /** Per id - 1 on the free list: the next free id, 0 at the end. */
    private int[] nextFree = new int[0];
    private int freeHead;
    private volatile int poolSize;
    /** Per thread id: its slots ({@code tstate->refcounts.values}), written only by that thread, or merged with it stopped. */
    private final long[][] values = new long[ThreadContext.MAX_THREADS][];
    private final boolean[] finalized = new boolean[ThreadContext.MAX_THREADS];

    PerThreadRefCounts(BiasedRefCount counts) {
        this.counts = counts;
    }

    /** {@code _PyObject_AssignUniqueId}: an id for {@code object}, written to {@code idField}. */
    long assign(long object, long idField) {
        synchronized (poolLock) {
            if (freeHead == 0) growPool();
            int id = freeHead;
            freeHead = nextFree[id - 1];
            objects[id - 1] = object;
            idFields[id - 1] = idField;
            Memory.putLong(idField, id);
            return id;
        }
    }

    /** {@code resize_interp_type_id_pool}: doubles the table, the new entries on the free list. */
    private void growPool() {
        int old = objects.length;
        int size = Math.max(POOL_MIN_SIZE, 2 * old);
        objects = Arrays.copyOf(objects, size);
        idFields = Arrays.copyOf(idFields, size);
        nextFree = Arrays.copyOf(nextFree, size);
        for (int i = old; i < size; i++) nextFree[i] = i + 2 <= size ? i + 2 : 0;
        freeHead = old + 1;
        poolSize = size;
    }

    /**
     * {@code _PyObject_DisablePerThreadRefcounting}: if {@code object} holds an id, zeroes its id
     * word and frees the id. Called by the collector with the world stopped.
     */
    void release(long object) {
        synchronized (poolLock) {
            for (int i = 0; i < objects.length; i++) {
                if (objects[i] != object) continue;
                Memory.putLong(idFields[i], 0L);
                objects[i] = 0L;
                idFields[i] = 0L;
                nextFree[i] = freeHead;
                freeHead = i + 1;
                return;
            }
        }
    }

    /** A per-thread increment of the object whose id is {@code id}; false when it must count on the object instead. */
    boolean increment(long id, ThreadContext thread) {
        long[] v = values[thread.id()];
        if (v != null && id > 0 && id <= v.length) {
            v[(int) id - 1]++;
            return true;
        }
        return incrementSlow(id, thread);
    }

    /** {@code _PyObject_ThreadIncrefSlow}: grows this thread's array to the pool's size, then counts. */
    private boolean incrementSlow(long id, ThreadContext thread) {
        int tid = thread.id();
        if (id <= 0 || finalized[tid]) return false;
        int size = poolSize;
        long[] v = values[tid];
        v = values[tid] = v == null ? new long[size] : Arrays.copyOf(v, size);
        v[(int) id - 1]++;
        return true;
    }

    /** {@code _Py_THREAD_DECREF_OBJECT}: false when the id is out of this thread's range (the caller decrements the object). */
    boolean decrement(long id, ThreadContext thread) {
        long[] v = values[thread.id()];
        if (v != null && id > 0 && id <= v.length) {
            v[(int) id - 1]--;
            return true;
        }
        return false;
    }

    /** A new runtime thread with this id: an empty, unfinalized array. */
    void threadStarted(ThreadContext thread) {
        values[thread.id()] = null;
        finalized[thread.id()] = false;
    }

    /** {@code _PyObject_MergePerThreadRefcounts} for one thread id. */
    void merge(int tid) {
        synchronized (poolLock) {
            long[] v = values[tid];
            if (v == null) return;
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0) continue;
                if (objects[i] != 0) counts.addShared(objects[i], v[i]);
                v[i] = 0;
            }
        }
    }

    /** The collector's merge of every thread's slots, with the world stopped. */
    void mergeAll() {
        for (int tid = 0; tid < values.length; tid++) merge(tid);
    }

    /** {@code _PyObject_FinalizePerThreadRefcounts}: merge, drop the array, count on objects from now on. */
    void finalizeThread(ThreadContext thread) {
        merge(thread.id());
        values[thread.id()] = null;
        finalized[thread.id()] = true;
    }

    /** What the slots of every thread hold for {@code id} (tests and reports; exact only with the threads quiet). */
    long pending(long id) {
        long sum = 0;
        for (long[] v : values) if (v != null && id > 0 && id <= v.length) sum += v[(int) id - 1];
        return sum;
    }

    /** Ids the pool holds now. */
    int poolSize() {
        return poolSize;
    }
}
