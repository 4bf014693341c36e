package org.pxlab.gc;

import java.util.List;
import org.pxlab.allocator.MallocAllocator;
import org.pxlab.refcount.PlainRefCount;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * A one-space heap (malloc, plain refcounts, a {@link CycleCollector}) bootstrapped on one
 * thread, with the helpers the tests share.
 */
final class GcHeap {
    /** The eval-breaker bit the test site hands the collector. */
    static final int GC_BIT = 1 << 3;

    final ThreadContext t = new ThreadContext(0, "main", Placement.MAIN);
    final CycleCollector gc;
    final MallocAllocator allocator = new MallocAllocator(Long.MAX_VALUE);
    final Site site = new Site();
    final Heap heap;

    GcHeap(CycleCollector gc) {
        this(gc, null);
    }

    /** @param decorator wraps the refcount entry point (a probe), or null */
    GcHeap(CycleCollector gc, java.util.function.UnaryOperator<RefCountStrategy> decorator) {
        this.gc = gc;
        Space space = new Space("main", 0, allocator, new PlainRefCount(), gc, true,
                StructLayout.compose(gc.preHeaderFields()));
        heap = new Heap(List.of(space), List.of());
        if (decorator != null) heap.decorateRefCounts(decorator);
        gc.bind(heap, site);
        site.threads.add(t);
        heap.bootstrap(t);
    }

    /** A heap with 3.12's default thresholds. */
    static GcHeap standard() {
        return new GcHeap(new CycleCollector());
    }

    /** Bytes the allocator has handed out and not got back. */
    long inUse() {
        return allocator.statistics().inUse();
    }

    long tracked() {
        return gc.statistics().tracked();
    }

    long refcnt(long o) {
        return heap.referenceCount(o);
    }

    long newList() {
        return heap.lists().newList(0, t);
    }

    /** {@code a.append(b)} (a new reference to b). */
    void append(long list, long item) {
        heap.lists().append(list, item, t);
    }

    void decref(long o) {
        heap.decref(o, t);
    }

    /** Collects everything and clears a pending schedule, so a test starts from settled counts. */
    void settle() {
        gc.collect(2, t);
        if ((t.evalBreaker() & GC_BIT) != 0) gc.poll(t);
        gc.collect(2, t);
    }

    /** Sets the collector's bit on every registered thread, as the runtime's site would. */
    static final class Site implements CollectorSite {
        final java.util.List<ThreadContext> threads = new java.util.ArrayList<>();
        int scheduleCalls;

        @Override
        public void scheduleOnAllThreads() {
            scheduleCalls++;
            for (int i = 0; i < threads.size(); i++) threads.get(i).signal(GC_BIT); // no iterator: allocation-free
        }

        @Override
        public int breakerBit() {
            return GC_BIT;
        }

        /** One thread: the world is stopped as soon as it is asked. */
        @Override
        public void stopTheWorld(ThreadContext requester) {
        }

        @Override
        public void startTheWorld(ThreadContext requester) {
        }
    }
}
