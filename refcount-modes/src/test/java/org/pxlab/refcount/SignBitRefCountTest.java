package org.pxlab.refcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.allocator.MallocAllocator;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.testkit.NoOpCollector;
import org.pxlab.runtime.testkit.NoOpSync;
import org.pxlab.runtime.testkit.TestThreads;

/**
 * {@code sign-bit}'s own corner cases, after Lean 4's {@code lean.h} and {@code object.cpp}:
 * plain counting while single-threaded, {@code lean_mark_mt} turning every reachable object
 * shared exactly once (cycles, shared and persistent objects included), and shared objects
 * counted atomically from two threads, freed exactly once.
 */
class SignBitRefCountTest {
    private final ThreadContext main = new ThreadContext(0, "main", Placement.MAIN);
    private SignBitRefCount counts;
    private MallocAllocator allocator;
    private Heap heap;

    @BeforeEach
    void heap() {
        counts = new SignBitRefCount();
        allocator = new MallocAllocator(Long.MAX_VALUE);
        NoOpCollector collector = new NoOpCollector();
        Space space = new Space("main", 0, allocator, counts, collector, false, StructLayout.compose(collector.preHeaderFields()));
        heap = new Heap(List.of(space), new NoOpSync(true).headerFields());
        heap.bootstrap(main);
    }

    @Test
    void singleThreadedCountsArePositiveAndTheLastDecrementFreesWithoutAnAtomic() {
        long x = heap.numbers().newFloat(1.5, main);
        assertThat(counts.rawCount(x)).isEqualTo(1);
        counts.incref(x, main);
        counts.incref(x, main);
        assertThat(counts.rawCount(x)).isEqualTo(3);
        assertThat(counts.decref(x, main)).isFalse();
        assertThat(counts.decref(x, main)).isFalse();
        assertThat(counts.isShared(x)).isFalse();
        assertThat(counts.decref(x, main)).as("the last reference").isTrue();
    }

    @Test
    void persistentObjectsAreNeverCountedNorMarked() {
        long x = heap.numbers().newFloat(2.5, main);
        counts.makeImmortal(x);
        for (int i = 0; i < 1000; i++) counts.incref(x, main);
        for (int i = 0; i < 2000; i++) assertThat(counts.decref(x, main)).isFalse();
        assertThat(counts.rawCount(x)).isZero();
        assertThat(counts.markShared(x, heap, main)).isZero();
        assertThat(counts.rawCount(x)).isZero();
    }

    /** a -> [x, b, s]; b -> [a, x, y]: a cycle, a value reached twice, an already shared s. */
    @Test
    void markingTurnsEveryReachableObjectSharedExactlyOnceCyclesIncluded() {
        long a = heap.lists().newList(0, main);
        long b = heap.lists().newList(0, main);
        long x = heap.numbers().newFloat(3.5, main);
        long y = heap.strings().newStr("only from b", main);
        long s = heap.numbers().newFloat(4.5, main);
        long unreachable = heap.numbers().newFloat(5.5, main);
        counts.markShared(s, heap, main);
        heap.lists().append(a, x, main); // x reached twice, the second time while still on the walk's stack
        heap.lists().append(a, b, main);
        heap.lists().append(a, s, main);
        heap.lists().append(b, a, main);
        heap.lists().append(b, x, main);
        heap.lists().appendTake(b, y, main);

        Set<Long> reachable = reachableFrom(a);
        Map<Long, Integer> before = new HashMap<>();
        for (long o : reachable) before.put(o, counts.rawCount(o));
        int unreachableBefore = counts.rawCount(unreachable);
        long expected = before.values().stream().filter(c -> c > 0).count();

        long marked = counts.markShared(a, heap, main);

        assertThat(marked).as("each single-threaded object reachable from a, once").isEqualTo(expected).isEqualTo(4);
        for (long o : reachable) {
            int was = before.get(o);
            assertThat(counts.rawCount(o)).as("0x%x", o).isEqualTo(was > 0 ? -was : was);
        }
        assertThat(counts.rawCount(unreachable)).isEqualTo(unreachableBefore).isPositive();
        assertThat(counts.markShared(a, heap, main)).as("a second marking finds nothing to do").isZero();
        for (long o : reachable) assertThat(counts.rawCount(o)).isEqualTo(before.get(o) > 0 ? -before.get(o) : before.get(o));
        assertThat(counts.referenceCount(x)).as("the magnitude is the count").isEqualTo(Math.abs((long) before.get(x)));
    }

    @Test
    void sharedCountsGrowDownwardsAndTheirLastDecrementFrees() {
        long x = heap.numbers().newFloat(6.5, main);
        counts.markShared(x, heap, main);
        assertThat(counts.rawCount(x)).isEqualTo(-1);
        counts.incref(x, main);
        assertThat(counts.rawCount(x)).isEqualTo(-2);
        assertThat(counts.referenceCount(x)).isEqualTo(2);
        assertThat(counts.decref(x, main)).isFalse();
        assertThat(counts.decref(x, main)).as("found -1: the last reference").isTrue();
    }

    @Test
    void twoThreadsOnASharedObjectLoseNoUpdate() throws Exception {
        long x = heap.numbers().newFloat(7.5, main);
        counts.markShared(x, heap, main);
        int n = 200_000;
        AtomicInteger zeros = new AtomicInteger();
        onTwoThreads(ctx -> {
            for (int i = 0; i < n; i++) counts.incref(x, ctx);
            for (int i = 0; i < n; i++) if (counts.decref(x, ctx)) zeros.incrementAndGet();
        });
        assertThat(zeros.get()).isZero();
        assertThat(counts.rawCount(x)).isEqualTo(-1);
    }

    @Test
    void twoThreadsDroppingTheLastTwoReferencesFreeExactlyOnce() throws Exception {
        for (int round = 0; round < 2000; round++) {
            long x = heap.numbers().newFloat(round + 0.5, main);
            counts.markShared(x, heap, main);
            counts.incref(x, main); // two references, one per thread
            AtomicInteger zeros = new AtomicInteger();
            onTwoThreads(ctx -> {
                if (counts.decref(x, ctx)) zeros.incrementAndGet();
            });
            assertThat(zeros.get()).as("round %d", round).isEqualTo(1);
            heap.release(x, main);
        }
    }

    /** Runs {@code body} on two threads (runtime thread ids 1 and 2) released together by a barrier. */
    private static void onTwoThreads(Consumer<ThreadContext> body) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            ThreadContext ctx = new ThreadContext(1 + t, "worker-" + t, Placement.WORKER);
            threads[t] = TestThreads.start("worker-" + t, failure, () -> {
                start.await();
                body.accept(ctx);
            });
        }
        TestThreads.join(failure, threads);
    }

    /** The objects {@code root} reaches through the heap's traversal, found independently of the strategy. */
    private Set<Long> reachableFrom(long root) {
        Set<Long> seen = new LinkedHashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long o = todo.pop();
            if (!seen.add(o)) continue;
            heap.traverse(o, todo::push);
        }
        return seen;
    }
}
