package org.pxlab.refcount;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.RefCountSite;
import org.pxlab.runtime.spi.RefCountStrategy;

/** Deliberately broken biased counts, for the kit's self-test. Each wraps a correct {@link BiasedRefCount}. */
final class BrokenBiasedRefCounts {
    private BrokenBiasedRefCounts() {
    }

    /** Forwards everything to a correct strategy; subclasses break one thing. */
    abstract static class Forwarding implements RefCountStrategy {
        final BiasedRefCount next = new BiasedRefCount();

        @Override public List<HeaderField> headerFields() { return next.headerFields(); }
        @Override public void bind(StructLayout header) { next.bind(header); }
        @Override public void bindSite(RefCountSite site) { next.bindSite(site); }
        @Override public void threadStarted(ThreadContext thread) { next.threadStarted(thread); }
        @Override public void initialize(long object, ThreadContext thread) { next.initialize(object, thread); }
        @Override public void incref(long object, ThreadContext thread) { next.incref(object, thread); }
        @Override public boolean decref(long object, ThreadContext thread) { return next.decref(object, thread); }
        @Override public boolean tryIncref(long object, ThreadContext thread) { return next.tryIncref(object, thread); }
        @Override public long referenceCount(long object) { return next.referenceCount(object); }
        @Override public void makeImmortal(long object) { next.makeImmortal(object); }
        @Override public boolean isImmortal(long object) { return next.isImmortal(object); }
        @Override public boolean isThreadSafe() { return true; }
        @Override public void processPending(ThreadContext thread) { next.processPending(thread); }
        @Override public void threadExiting(ThreadContext thread) { next.threadExiting(thread); }
        @Override public void processAllPending(ThreadContext thread) { next.processAllPending(thread); }
    }

    /** Queues as CPython does but never merges a queue: what a non-owner dropped last is never freed. */
    static final class NeverMerges extends Forwarding {
        @Override public void processPending(ThreadContext thread) { }
        @Override public void threadExiting(ThreadContext thread) { }
        @Override public void processAllPending(ThreadContext thread) { }
    }

    /**
     * Skips the queue: a non-owner that finds the shared count at zero frees the object at
     * once, as if the shared count alone decided (the owner's local references are ignored).
     */
    static final class FreesAtSharedZero extends Forwarding {
        @Override
        public boolean decref(long object, ThreadContext thread) {
            if (!next.isImmortal(object) && next.ownerTid(object) != thread.id() + 1L
                    && (next.sharedWord(object) & ~BiasedRefCount.MAYBE_WEAKREF) == 0) {
                return true;
            }
            return next.decref(object, thread);
        }
    }
}
