package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.AllocatorStatistics;

/**
 * Four threads on however many cores there are, in the manner of mimalloc-bench's
 * {@code xmalloc-test} and {@code larson}: each allocates, checks and frees its own blocks and
 * passes some to the next thread, which frees them (cross-thread frees, delayed-list
 * notifications); each works through phases that use different bands of size classes and free
 * everything at the end of a phase, so pages empty, wait for QSBR and come back as pages of other
 * classes while other threads' frees are still arriving; each reports a quiescent point every 64
 * operations and detaches when it is done. Afterwards no block was ever placed on a live one, no
 * live block was written by the allocator, the statistics are exact, the walk finds nothing and
 * every mechanism was exercised.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThreadShardedAllocatorStressTest {
    private static final int THREADS = 4;
    private static final int PHASES = 8;
    private static final int OPERATIONS_PER_PHASE = 15_000;
    private static final long SEED = 0x51A5_0DEDL;

    private record Block(long address, long size, long tag) {
        void fill() {
            for (long o = 0; o + 8 <= size; o += 8) Memory.putLong(address + o, tag ^ o);
        }

        void check(String when) {
            for (long o = 0; o + 8 <= size; o += 8) {
                long got = Memory.getLong(address + o);
                if (got != (tag ^ o)) {
                    throw new AssertionError(String.format("block [0x%x, +%d) overwritten while live (%s): offset %d holds 0x%x",
                            address, size, when, o, got));
                }
            }
        }
    }

    /** Live ranges, to catch a block handed out on top of a live one. */
    private static final class Shadow {
        private final TreeMap<Long, Block> live = new TreeMap<>();

        synchronized void claim(Block b) {
            Map.Entry<Long, Block> below = live.floorEntry(b.address + b.size - 1);
            if (below != null && below.getKey() + below.getValue().size > b.address) {
                throw new AssertionError(String.format("0x%x (+%d) overlaps live 0x%x (+%d)", b.address, b.size, below.getKey(),
                        below.getValue().size));
            }
            live.put(b.address, b);
        }

        synchronized void release(Block b) {
            if (live.remove(b.address) != b) throw new AssertionError("shadow map lost 0x" + Long.toHexString(b.address));
        }

        synchronized int size() {
            return live.size();
        }
    }

    @Test
    void fourThreadsWithCrossThreadFreesAndQsbrPageReuse() throws InterruptedException {
        ThreadShardedAllocator a = new ThreadShardedAllocator(Long.MAX_VALUE, 1);
        try {
            run(a);
        } finally {
            a.release();
        }
    }

    private void run(ThreadShardedAllocator a) throws InterruptedException {
        Shadow shadow = new Shadow();
        List<Queue<Block>> inboxes = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) inboxes.add(new ConcurrentLinkedQueue<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] allocations = new long[THREADS];
        long[] frees = new long[THREADS];
        Thread[] threads = new Thread[THREADS];
        for (int w = 0; w < THREADS; w++) {
            int me = w;
            ThreadContext ctx = new ThreadContext(me + 1, "stress-" + me, Placement.MAIN);
            threads[w] = new Thread(() -> {
                Random random = new Random(SEED + me);
                List<Block> mine = new ArrayList<>();
                Queue<Block> inbox = inboxes.get(me);
                Queue<Block> next = inboxes.get((me + 1) % THREADS);
                long serial = 0;
                try {
                    for (int phase = 0; phase < PHASES && failure.get() == null; phase++) {
                        int band = (phase + me) % 4; // classes 8*band .. 8*band+7
                        for (int op = 0; op < OPERATIONS_PER_PHASE; op++) {
                            int r = random.nextInt(100);
                            if (mine.isEmpty() || (r < 45 && mine.size() < 2_000)) {
                                long size = 16L * (8 * band + random.nextInt(8)) + 1 + random.nextInt(16);
                                if (random.nextInt(50) == 0) size = 513 + random.nextInt(3000);
                                Block b = new Block(a.allocate(size, ctx), size, (SEED * 31 + me) * 1_000_003L + serial++);
                                allocations[me]++;
                                shadow.claim(b);
                                b.fill();
                                mine.add(b);
                            } else if (r < 70) {
                                free(a, ctx, shadow, take(mine, random), frees, me);
                            } else if (r < 85) {
                                next.add(take(mine, random));
                            } else {
                                Block b = inbox.poll();
                                if (b != null) free(a, ctx, shadow, b, frees, me);
                            }
                            if ((op & 63) == 0) a.quiescent(ctx);
                        }
                        while (!mine.isEmpty()) free(a, ctx, shadow, mine.removeLast(), frees, me);
                        for (Block b; (b = inbox.poll()) != null; ) free(a, ctx, shadow, b, frees, me);
                        a.quiescent(ctx);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    a.detach(ctx);
                }
            });
            threads[w].setDaemon(true);
            threads[w].start();
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new AssertionError("a stress thread failed", failure.get());

        ThreadContext main = new ThreadContext(0, "drain", Placement.MAIN);
        long drained = 0;
        for (Queue<Block> q : inboxes) {
            for (Block b; (b = q.poll()) != null; drained++) {
                b.check("drained");
                shadow.release(b);
                a.free(b.address, b.size, main);
            }
        }
        assertThat(shadow.size()).isZero();
        long totalAllocations = 0, totalFrees = drained;
        for (int w = 0; w < THREADS; w++) {
            totalAllocations += allocations[w];
            totalFrees += frees[w];
        }
        AllocatorStatistics s = a.statistics();
        assertThat(s.allocations()).isEqualTo(totalAllocations);
        assertThat(s.frees()).isEqualTo(totalFrees).isEqualTo(totalAllocations);
        assertThat(s.inUse()).isZero();
        assertThat(s.reserved()).isGreaterThanOrEqualTo(s.peakInUse());
        List<Long> walked = new ArrayList<>();
        a.walk((address, size) -> walked.add(address));
        assertThat(walked).as("live blocks after everything was freed").isEmpty();

        assertThat(a.counter(ThreadShardedAllocator.CROSS_THREAD_FREES)).as("cross-thread frees").isPositive();
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_NOTIFICATIONS)).as("delayed-list notifications").isPositive();
        assertThat(a.counter(ThreadShardedAllocator.PAGES_DEFERRED)).as("pages handed to QSBR").isPositive();
        assertThat(a.counter(ThreadShardedAllocator.PAGES_FREED)).as("pages freed after QSBR").isPositive();
        assertThat(a.counter(ThreadShardedAllocator.PAGES_REUSED)).as("freed pages reused").isPositive();
    }

    private static Block take(List<Block> blocks, Random random) {
        int i = random.nextInt(blocks.size());
        Block b = blocks.get(i);
        Block last = blocks.removeLast();
        if (i < blocks.size()) blocks.set(i, last);
        return b;
    }

    private static void free(ThreadShardedAllocator a, ThreadContext ctx, Shadow shadow, Block b, long[] frees, int me) {
        b.check("before its free by " + ctx);
        shadow.release(b);
        a.free(b.address, b.size, ctx);
        frees[me]++;
    }
}
