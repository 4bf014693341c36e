package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The JVM heap must not be what pxlab measures: tracking, untracking and collecting allocate
 * no Java objects. Measured with the thread's allocation counter around a warmed-up loop.
 */
class CycleCollectorAllocationTest {

    @Test
    void trackUntrackAndCollectAllocateNoJavaObjects() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        GcHeap h = GcHeap.standard();
        h.settle();
        long id = Thread.currentThread().threadId();
        // Warm up until the interpreter and the JIT have settled (tier transitions allocate),
        // then take the least of a few measured rounds: that is what the code itself does.
        for (int i = 0; i < 4; i++) work(h, 20_000);
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = mx.getThreadAllocatedBytes(id);
            work(h, 20_000);
            least = Math.min(least, mx.getThreadAllocatedBytes(id) - before);
        }
        assertThat(least).as("bytes allocated by 20,000 rounds with collections").isLessThan(256);
    }

    /** Makes two-list cycles and plain lists, frees the latter by refcount, polls and collects. */
    private static void work(GcHeap h, int n) {
        for (int i = 0; i < n; i++) {
            long a = h.newList();
            long b = h.newList();
            h.append(a, b);
            h.append(b, a);
            h.decref(a);
            h.decref(b);
            h.decref(h.newList());
            if ((h.t.evalBreaker() & GcHeap.GC_BIT) != 0) h.gc.poll(h.t);
        }
        h.gc.collect(2, h.t);
    }
}
