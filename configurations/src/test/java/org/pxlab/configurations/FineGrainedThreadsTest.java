package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.spi.Allocator;

/**
 * Two runtime threads of {@code fine-grained} (optimistic reads, thread-sharded memory) and
 * {@code fine-grained-global} (locked reads, one locked pymalloc) hammer one shared dict, one
 * shared list and one shared object's count at once: inserts and deletes that resize the
 * dict, appends that resize the list, reads of both while they resize, and increments and
 * decrements of the object. At the end every insert is there exactly once, with its value,
 * the object's count is back where it was, and once the containers are released the
 * allocator's in-use bytes are back at their baseline: every object was freed, once.
 */
class FineGrainedThreadsTest {
    private static final int ROUNDS = 20_000;
    private static final long KEYS = 1_000_000, GONE = 5_000_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fine-grained", "fine-grained-global"})
    void twoThreadsLoseNoUpdateTearNoStructureAndFreeEverythingOnce(String configuration) {
        try (PxRuntime rt = FineGrainedRuntime.start(configuration)) {
            Allocator allocator = rt.heap().space(0).allocator();
            rt.onMain(m -> null);
            long baseline = rt.onMain(m -> allocator.statistics().inUse());
            long[] shared = rt.onMain(m -> new long[] {m.heap().dicts().newDict(m.thread()), m.heap().lists().newList(0, m.thread()),
                    m.heap().numbers().newFloat(0.5, m.thread())});
            long dict = shared[0], list = shared[1], object = shared[2];
            long countBefore = rt.heap().referenceCount(object);

            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                Heap h = m.heap();
                ThreadContext t = m.thread();
                for (int i = 0; i < ROUNDS; i++) {
                    long key = h.numbers().newInt(KEYS + (long) w * ROUNDS + i, t);
                    long gone = h.numbers().newInt(GONE + (long) w * ROUNDS + i, t);
                    h.dicts().setItem(dict, key, key, t);
                    h.dicts().setItem(dict, gone, object, t);
                    if (!h.dicts().delItem(dict, gone, t)) throw new AssertionError("a key just inserted is missing");
                    h.lists().append(list, key, t);
                    long n = h.lists().size(list);
                    long item = h.lists().getItemRef(list, (i * 7919L) % n, t);
                    if (h.kindOf(item) != TypeKind.INT || h.numbers().intValue(item) < KEYS) {
                        throw new AssertionError("read a torn list item");
                    }
                    h.decref(item, t);
                    long value = h.dicts().getItemRef(dict, key, t);
                    if (value != key) throw new AssertionError("dict[" + h.numbers().intValue(key) + "] read as 0x" + Long.toHexString(value));
                    h.decref(value, t);
                    h.incref(object, t);
                    h.decref(object, t);
                    h.decref(gone, t);
                    h.decref(key, t);
                    m.jumpBackward(); // the loop's back edge: an eval-breaker check, a quiescent point
                }
            });

            rt.onMain(m -> {
                Heap h = m.heap();
                ThreadContext t = m.thread();
                assertThat(h.dicts().size(dict)).as("entries").isEqualTo(2L * ROUNDS);
                assertThat(h.lists().size(list)).as("items").isEqualTo(2L * ROUNDS);
                long[] seen = new long[2 * ROUNDS];
                for (int i = 0; i < seen.length; i++) seen[i] = h.numbers().intValue(h.lists().getItem(list, i));
                Arrays.sort(seen);
                for (int i = 0; i < seen.length; i++) assertThat(seen[i]).as("item %d in sorted order", i).isEqualTo(KEYS + i);
                for (int i = 0; i < 2 * ROUNDS; i++) {
                    long k = h.numbers().newInt(KEYS + i, t);
                    long v = h.dicts().getItem(dict, k);
                    assertThat(v != 0 && h.numbers().intValue(v) == KEYS + i).as("dict holds key %d with its value", KEYS + i).isTrue();
                    assertThat(h.referenceCount(v)).as("a key is referenced by its entry twice and by the list").isEqualTo(3);
                    h.decref(k, t);
                }
                assertThat(h.referenceCount(object)).as("the shared object's count").isEqualTo(countBefore);
                h.decref(dict, t);
                h.decref(list, t);
                h.decref(object, t);
                return null;
            });
            rt.onMain(m -> null); // delayed frees handed over by the workers are freed at attach
            long after = rt.onMain(m -> allocator.statistics().inUse());
            assertThat(after).as("in-use bytes after everything is released").isEqualTo(baseline);
            assertThat(rt.sync().statistics().acquisitions()).as("mutex acquisitions").isGreaterThanOrEqualTo(4L * ROUNDS);
        }
    }
}
