package org.pxlab.refcount;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * A thread's {@code objects_to_merge} ({@code struct _brc_thread_state} in {@code Python/brc.c}): pushed
 * under its bucket's lock by non-owners, drained whole by the owner. Used by {@link BiasedRefCount}.
 */
final class BrcMergeQueue {
    final long tid;
    final ThreadContext thread;
    BrcMergeQueue next;
    long[] pending = new long[64];
    int size;
    long[] draining = new long[64];

    BrcMergeQueue(long tid, ThreadContext thread) {
        this.tid = tid;
        this.thread = thread;
    }

    void push(long object) {
        if (size == pending.length) pending = java.util.Arrays.copyOf(pending, 2 * size);
        pending[size++] = object;
    }
}
