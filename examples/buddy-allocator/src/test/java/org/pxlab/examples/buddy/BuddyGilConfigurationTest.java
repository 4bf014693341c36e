package org.pxlab.examples.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;

/** {@code buddy-gil} is found through ServiceLoader, assembles, and runs Python-level work on buddy memory. */
class BuddyGilConfigurationTest {
    @Test
    void twoWorkersBuildAndDropDictsOnBuddyMemory() {
        ComponentRegistry registry = ComponentRegistry.load();
        try (PxRuntime rt = PxRuntime.start(registry.assemble("buddy-gil"))) {
            assertThat(rt.heap().space(0).allocator()).isInstanceOf(BuddyAllocator.class);
            long before = rt.heap().space(0).allocator().statistics().inUse();
            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                Heap h = m.heap();
                var t = m.thread();
                for (int i = 0; i < 2_000; i++) {
                    long d = h.dicts().newDict(t);
                    long key = h.numbers().newInt(i, t);
                    h.dicts().setItemTake2(d, key, h.strings().newStr("v" + i, t), t);
                    h.decref(d, t);
                    if (i % 64 == 0) m.jumpBackward();
                }
            });
            long after = rt.heap().space(0).allocator().statistics().inUse();
            assertThat(rt.heap().space(0).allocator().statistics().allocations()).isGreaterThan(3 * 4_000);
            assertThat(after).as("every dict, key and value freed again").isEqualTo(before);
        }
    }
}
