package org.pxlab.refcount;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * PyParallel's refcount elision ({@code elided}): the strategy of a parallel context's space.
 *
 * <p>In PyParallel ({@code pyparallel/pyparallel}, branch {@code 3.3-px},
 * {@code Include/object.h}) {@code Py_INCREF} and {@code Py_DECREF} first ask "am I parallel?"
 * ({@code Py_PXCTX()}): in a parallel thread they return at once, for parallel and main-thread
 * objects alike; on the main thread they skip parallel objects ({@code Py_ISPX}). A parallel
 * object is therefore never counted and never freed one by one: its context's heap is rolled
 * back or reset wholesale. This strategy is the second half: the runtime puts the thread test
 * in front of every operation when a space uses it ({@link #elidesForItsThreads()}), and the
 * per-object dispatch sends a parallel object's operations here, where nothing happens.
 *
 * <p>It needs no header field (parallel objects share the configuration's header; whatever
 * count word the main space declares stays as allocation left it). Reported counts are 1 for
 * every object: alive, uncounted. It cannot make an object immortal (a parallel object lives
 * exactly as long as its context's snapshot) and refuses to pretend.
 */
public final class ElidedRefCount implements RefCountStrategy {

    @Override
    public List<HeaderField> headerFields() {
        return List.of();
    }

    @Override
    public void bind(StructLayout header) {
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
    }

    @Override
    public void incref(long object, ThreadContext thread) {
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        return false;
    }

    /** Always 1: a parallel object is alive until its context rolls back, and nobody counts it. */
    @Override
    public long referenceCount(long object) {
        return 1;
    }

    /**
     * @throws UnsupportedOperationException always: a parallel object dies with its context's
     *         snapshot, so it cannot be immortal
     */
    @Override
    public void makeImmortal(long object) {
        throw new UnsupportedOperationException("elided: a parallel object lives as long as its context's snapshot and"
                + " cannot be made immortal (0x" + Long.toHexString(object) + ")");
    }

    @Override
    public boolean isImmortal(long object) {
        return false;
    }

    /** Nothing is updated, so nothing can be lost. */
    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public boolean elidesForItsThreads() {
        return true;
    }

    @Override
    public String toString() {
        return "elided";
    }
}
