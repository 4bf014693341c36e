package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;

/** The allocate/free fast path allocates no Java object once compiled (the Allocator contract). */
class SizeClassPoolHotPathTest {
    private static final int PAIRS = 1_000_000;

    @Test
    void allocateAndFreeAllocateNoJavaObjects() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long self = Thread.currentThread().threadId();
        ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
        SizeClassPool allocator = new SizeClassPool(Long.MAX_VALUE);
        try {
            // A live neighbour keeps the pool in use, as a running program's objects do.
            long neighbour = allocator.allocate(32, main);
            long sink = 0;
            for (int round = 0; round < 5; round++) sink += pairs(allocator, main, PAIRS);

            long before = threads.getThreadAllocatedBytes(self);
            sink += pairs(allocator, main, PAIRS);
            long allocated = threads.getThreadAllocatedBytes(self) - before;

            assertThat(allocated).as("Java bytes allocated by %d allocate+free pairs", PAIRS).isLessThan(1024);
            assertThat(sink).isNotZero();
            assertThat(allocator.statistics().allocations()).isEqualTo(1 + 6L * PAIRS);
            allocator.free(neighbour, 32, main);
        } finally {
            allocator.release();
        }
    }

    private static long pairs(SizeClassPool allocator, ThreadContext thread, int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            long block = allocator.allocate(32, thread);
            sink += block;
            allocator.free(block, 32, thread);
        }
        return sink;
    }
}
