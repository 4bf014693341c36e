package org.pxlab.runtime.object;

import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * The release of objects whose count reached zero, without recursion: one work list per
 * thread id, drained by the outermost release on that thread; each object's
 * {@link Heap#deallocate} decrements its referents through this thread's {@link Decrements},
 * which queues those that reach zero. This has the effect of CPython's trashcan (no stack
 * overflow on long chains) with a different order of frees. Allocation-free once a thread id
 * has its list and visitor (the list doubles when a chain outgrows it).
 */
final class ReleaseLoop {
    private final Heap heap;
    private final long[][] pending = new long[ThreadContext.MAX_THREADS][];
    private final int[] top = new int[ThreadContext.MAX_THREADS];
    private final Decrements[] visitors = new Decrements[ThreadContext.MAX_THREADS];

    ReleaseLoop(Heap heap) {
        this.heap = heap;
    }

    /** Queues {@code object}; unless a release is already draining this thread's list, drains it. */
    void release(long object, ThreadContext thread) {
        int tid = thread.id();
        if (pending[tid] == null) {
            pending[tid] = new long[64];
            visitors[tid] = new Decrements(this);
        }
        boolean outermost = top[tid] == 0 && !visitors[tid].active;
        push(tid, object);
        if (!outermost) return; // an enclosing release loop on this thread will get to it
        Decrements visitor = visitors[tid];
        // Ids are reused by later runtime threads: the visitor must decrement as this one.
        visitor.thread = thread;
        visitor.active = true;
        try {
            while (top[tid] > 0) heap.deallocate(pending[tid][--top[tid]], visitor, thread);
        } finally {
            visitor.active = false;
        }
    }

    private void push(int tid, long object) {
        long[] stack = pending[tid];
        if (top[tid] == stack.length) stack = pending[tid] = Arrays.copyOf(stack, stack.length * 2);
        stack[top[tid]++] = object;
    }

    /** The reusable visitor of one thread id's release loop: decrement, queue on zero. */
    static final class Decrements implements ReferenceVisitor {
        private final ReleaseLoop loop;
        ThreadContext thread;
        boolean active;
        /** The heap type of the instance being freed, or its function's code: released once through the type/code path. */
        long heldType, heldCode;

        Decrements(ReleaseLoop loop) {
            this.loop = loop;
        }

        @Override
        public void visit(long referent) {
            boolean zero;
            if (referent == heldType) {
                heldType = 0L;
                zero = loop.heap.refcounts().decrefType(referent, thread);
            } else if (referent == heldCode) {
                heldCode = 0L;
                zero = loop.heap.refcounts().decrefCode(referent, thread);
            } else {
                zero = loop.heap.refcounts().decref(referent, thread);
            }
            if (zero) loop.push(thread.id(), referent);
        }
    }
}
