package org.pxlab.runtime.object;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * PyParallel's "am I parallel?" test in front of every reference-count operation
 * ({@code Py_PXCTX()} in {@code Include/object.h} of the {@code 3.3-px} branch): a thread that
 * runs in a parallel context counts nothing, for parallel and main objects alike; any other
 * thread goes on to the per-object dispatch, where a parallel object's own strategy
 * ({@code elided}) again counts nothing. The test is one load of the thread's space index and a
 * compare, as PyParallel's was a thread-id read and a compare: paid on every operation,
 * main thread included.
 */
final class ParallelElisionGate implements RefCountStrategy {
    private final int parallelSpace;
    private final RefCountStrategy next;

    ParallelElisionGate(int parallelSpace, RefCountStrategy next) {
        this.parallelSpace = parallelSpace;
        this.next = next;
    }

    @Override
    public List<HeaderField> headerFields() {
        return List.of();
    }

    @Override
    public void bind(StructLayout header) {
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
        next.initialize(object, thread);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        if (thread.allocationSpace() == parallelSpace) return;
        next.incref(object, thread);
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        if (thread.allocationSpace() == parallelSpace) return false;
        return next.decref(object, thread);
    }

    @Override
    public long referenceCount(long object) {
        return next.referenceCount(object);
    }

    @Override
    public void makeImmortal(long object) {
        next.makeImmortal(object);
    }

    @Override
    public boolean isImmortal(long object) {
        return next.isImmortal(object);
    }

    @Override
    public boolean isThreadSafe() {
        return next.isThreadSafe();
    }
}
