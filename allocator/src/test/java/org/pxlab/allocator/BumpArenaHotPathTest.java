package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * A parallel context's life allocates no Java object once warm: allocation, free, finalizer
 * registration and the snapshot / rollback / discard cycle of every request, and the rewind of
 * the connection-start snapshot (the Allocator contract's hot-path rule, and what lets a
 * context hold its snapshots in {@code long}s).
 */
class BumpArenaHotPathTest {
    private static final int ALLOCATIONS = 1_000_000;
    private static final int PER_REQUEST = 100;
    private static final int REQUESTS_PER_CONNECTION = 50;
    private static final long[] SIZES = {16, 24, 48, 100, 250, 32, 64, 5000, 40, 16};
    /** Non-capturing: one instance, as the runtime's finalizers would be. */
    private static final org.pxlab.runtime.spi.ContextArena.BlockFinalizer COUNT = block -> Counter.runs++;

    static final class Counter {
        static long runs;
        static long registered;
    }

    @Test
    void requestCyclesAllocateNoJavaObjects() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long self = Thread.currentThread().threadId();
        ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
        BumpArena arena = new BumpArena();
        try {
            long sink = 0;
            for (int round = 0; round < 3; round++) sink += connections(arena, main);
            long reserved = arena.statistics().reserved();
            long finalizersBefore = Counter.runs;
            long registeredBefore = Counter.registered;
            long allocationsBefore = arena.statistics().allocations();

            long before = threads.getThreadAllocatedBytes(self);
            sink += connections(arena, main);
            long allocated = threads.getThreadAllocatedBytes(self) - before;

            assertThat(allocated).as("Java bytes allocated by %d allocations in request cycles", ALLOCATIONS)
                    .isLessThan(1024);
            assertThat(sink).isNotZero();
            assertThat(arena.statistics().allocations() - allocationsBefore).isEqualTo(ALLOCATIONS);
            assertThat(Counter.registered - registeredBefore).as("finalizers registered: one per ten request blocks")
                    .isGreaterThan(ALLOCATIONS / 11);
            assertThat(Counter.runs - finalizersBefore).as("finalizers run: each registered one, once")
                    .isEqualTo(Counter.registered - registeredBefore);
            assertThat(arena.statistics().reserved()).as("reserved: the same work reuses the same pages").isEqualTo(reserved);
            assertThat(arena.statistics().inUse()).isZero();
            assertThat(arena.liveSnapshots()).isZero();
        } finally {
            arena.release();
        }
    }

    /** Connections of requests, as a context lives them, until ALLOCATIONS blocks were handed out. */
    private static long connections(BumpArena arena, ThreadContext thread) {
        long sink = 0;
        int allocations = 0;
        while (allocations < ALLOCATIONS) {
            long connection = arena.snapshot();
            sink += arena.allocate(200, thread); // the connection's own state, kept across its requests
            allocations++;
            for (int r = 0; r < REQUESTS_PER_CONNECTION && allocations < ALLOCATIONS; r++) {
                long request = arena.snapshot();
                int n = Math.min(PER_REQUEST, ALLOCATIONS - allocations);
                for (int i = 0; i < n; i++) {
                    long size = SIZES[i % SIZES.length];
                    long block = arena.allocate(size, thread);
                    sink += block;
                    if (i % 10 == 0) {
                        arena.registerFinalizer(block, COUNT);
                        Counter.registered++;
                    }
                    else if (i % 7 == 0) arena.free(block, size, thread);
                }
                allocations += n;
                arena.rollback(request);
                arena.discard(request);
            }
            arena.rollback(connection);
            arena.discard(connection);
        }
        return sink;
    }
}
