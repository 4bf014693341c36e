package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Allocator;

/** Reference counts return memory at zero; cycles wait for the collector. On {@code gil}. */
class HeapLifecycleTest {
    private PxRuntime rt;
    private Allocator allocator;

    @BeforeEach
    void start() {
        rt = GilRuntime.start();
        allocator = rt.heap().space(0).allocator();
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    private long inUse() {
        return allocator.statistics().inUse();
    }

    @Test
    void refcountToZeroReturnsEveryBlockIncludingChildrenAndAuxiliaryBlocks() {
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long before = inUse();
            long frees = allocator.statistics().frees();
            long d = h.dicts().newDict(t);
            for (int i = 0; i < 1000; i++) {
                long list = h.lists().newList(0, t);
                for (int j = 0; j < 5; j++) h.lists().appendTake(list, h.numbers().newFloat(j, t), t);
                h.dicts().setItemTake2(d, h.strings().newStr("key-" + i, t), list, t);
            }
            assertThat(inUse()).isGreaterThan(before + 1000 * 5 * 16);
            h.decref(d, t);
            assertThat(inUse()).as("every object, items block and keys block freed").isEqualTo(before);
            assertThat(allocator.statistics().frees() - frees).isGreaterThan(1000 * 7);
            return null;
        });
    }

    @Test
    void aCycleOutlivesItsLastReferenceUntilTheCollectorRuns() {
        long module = rt.onMain(m -> m.define().module("cycles"));
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long node = m.define().klass(module, "Node", 0, List.of("other"), false);
            long before = inUse();
            long a = h.instances().newInstance(node, t);
            long b = h.instances().newInstance(node, t);
            h.instances().setSlotTake(a, 0, h.newRef(b, t), t);
            h.instances().setSlotTake(b, 0, h.newRef(a, t), t);
            long self = h.lists().newList(0, t);
            h.lists().append(self, self, t);
            h.decref(a, t);
            h.decref(b, t);
            h.decref(self, t);
            assertThat(inUse()).as("reference counting cannot free a cycle").isGreaterThan(before);
            assertThat(h.referenceCount(a)).isEqualTo(1);
            long freed = h.space(0).collector().collect(2, t);
            assertThat(freed).isGreaterThanOrEqualTo(3);
            assertThat(inUse()).as("the collector freed both cycles").isEqualTo(before);
            return null;
        });
    }

    @Test
    void aCycleStillReferencedFromOutsideSurvivesACollection() {
        long module = rt.onMain(m -> m.define().module("kept"));
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long ring = h.lists().newList(0, t);
            h.lists().append(ring, ring, t);
            m.define().global(module, "ring", h.newRef(ring, t));
            h.decref(ring, t);
            h.space(0).collector().collect(2, t);
            assertThat(h.lists().getItem(ring, 0)).as("still intact").isEqualTo(ring);
            assertThat(h.referenceCount(ring)).isEqualTo(2);
            return null;
        });
    }
}
