package org.pxlab.experiments.projection;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.spi.RefCountSite;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Counts a space's refcount operations and passes every call on unchanged. An operation is
 * classified by what it did to simulated memory (an atomic, a plain store, nothing) and by
 * whether the calling thread created the object; {@link #initialize} records the creator.
 * Operations that PyParallel's elision gate answers before any strategy is reached are not
 * seen: they cost only the gate's test.
 */
final class CountingRefCount implements RefCountStrategy {
    private final RefCountStrategy delegate;
    private final Tally tally;

    CountingRefCount(RefCountStrategy delegate, Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override public List<HeaderField> headerFields() { return delegate.headerFields(); }
    @Override public void bind(StructLayout header) { delegate.bind(header); }

    @Override
    public void initialize(long object, ThreadContext thread) {
        tally.created(object, thread);
        delegate.initialize(object, thread);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        delegate.incref(object, thread);
        tally.refcountOperation(object, thread, a, s);
    }

    @Override
    public boolean tryIncref(long object, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        boolean added = delegate.tryIncref(object, thread);
        tally.refcountOperation(object, thread, a, s);
        return added;
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        boolean last = delegate.decref(object, thread);
        tally.refcountOperation(object, thread, a, s);
        return last;
    }

    // 3.14t's deferred and per-thread counts: type and code increments are refcount operations too.
    @Override public void objectCreated(long object, TypeKind kind, ThreadContext thread) { delegate.objectCreated(object, kind, thread); }
    @Override public boolean isDeferred(long object) { return delegate.isDeferred(object); }
    @Override public boolean defersAny() { return delegate.defersAny(); }
    @Override public long deferredBias() { return delegate.deferredBias(); }
    @Override public void disableDeferred(long object) { delegate.disableDeferred(object); }

    @Override
    public void increfType(long type, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        delegate.increfType(type, thread);
        tally.refcountOperation(type, thread, a, s);
    }

    @Override
    public boolean decrefType(long type, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        boolean last = delegate.decrefType(type, thread);
        tally.refcountOperation(type, thread, a, s);
        return last;
    }

    @Override
    public void increfCode(long code, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        delegate.increfCode(code, thread);
        tally.refcountOperation(code, thread, a, s);
    }

    @Override
    public boolean decrefCode(long code, ThreadContext thread) {
        long a = tally.coherence.atomics(), s = tally.coherence.stores();
        boolean last = delegate.decrefCode(code, thread);
        tally.refcountOperation(code, thread, a, s);
        return last;
    }

    @Override public long referenceCount(long object) { return delegate.referenceCount(object); }
    @Override public void makeImmortal(long object) { delegate.makeImmortal(object); }
    @Override public boolean isImmortal(long object) { return delegate.isImmortal(object); }
    @Override public boolean isThreadSafe() { return delegate.isThreadSafe(); }
    @Override public boolean elidesForItsThreads() { return delegate.elidesForItsThreads(); }
    @Override public void bindSite(RefCountSite site) { delegate.bindSite(site); }
    @Override public void threadStarted(ThreadContext thread) { delegate.threadStarted(thread); }
    @Override public void processPending(ThreadContext thread) { delegate.processPending(thread); }
    @Override public void threadExiting(ThreadContext thread) { delegate.threadExiting(thread); }
    @Override public void processAllPending(ThreadContext thread) { delegate.processAllPending(thread); }
    @Override public boolean immortalAtCreation(TypeKind kind) { return delegate.immortalAtCreation(kind); }
    @Override public boolean readAfterFree(HeaderField field) { return delegate.readAfterFree(field); }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
