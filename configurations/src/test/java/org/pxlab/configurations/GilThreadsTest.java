package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;

/**
 * Two runtime threads mutate one shared dict under the GIL: the plain counts and the
 * unlocked allocator stay consistent because only the GIL holder runs. Each worker does
 * read-modify-write cycles on shared counters and inserts and deletes its own keys, with the
 * GIL handed over between them (a short switch interval makes hand-offs frequent).
 */
class GilThreadsTest {
    @Test
    void twoWorkersKeepASharedDictConsistent() {
        var declaration = GilRuntime.REGISTRY.configuration("gil");
        var fast = new org.pxlab.runtime.config.ConfigurationDeclaration(declaration.name(), declaration.description(),
                declaration.version(), declaration.sync(), java.util.Map.of("switch-interval-us", "50"),
                declaration.spaces(), declaration.placements(), 0, false);
        int rounds = 20_000;
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble(fast))) {
            long module = rt.onMain(m -> {
                long mod = m.define().module("shared");
                m.define().global(mod, "table", m.heap().dicts().newDict(m.thread()));
                return mod;
            });
            long table = rt.onMain(m -> m.heap().dicts().getItem(m.heap().modules().dict(module),
                    m.heap().strings().intern("table", m.thread())));
            long before = rt.heap().space(0).allocator().statistics().inUse();
            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                Heap h = m.heap();
                var t = m.thread();
                long counter = h.strings().intern("counter", t);
                m.enterModule(module, 0);
                for (int i = 0; i < rounds; i++) {
                    long old = h.dicts().getItem(table, counter);
                    long next = h.numbers().newInt(old == 0 ? 1 : h.numbers().intValue(old) + 1, t);
                    h.dicts().setItem(table, counter, next, t);
                    h.decref(next, t);
                    long key = h.numbers().newInt(1_000_000L * (w + 1) + i, t);
                    h.dicts().setItemTake2(table, key, h.strings().newStr("v" + i, t), t);
                    if (i % 2 == 0) {
                        long same = h.numbers().newInt(1_000_000L * (w + 1) + i, t);
                        assertThat(h.dicts().delItem(table, same, t)).isTrue();
                        h.decref(same, t);
                    }
                    if (i % 64 == 0) m.jumpBackward(); // an eval-breaker check: where the GIL may change hands
                }
                m.exitFrame();
            });
            long handoffs = rt.sync().statistics().handoffs();
            rt.onMain(m -> {
                Heap h = m.heap();
                assertThat(h.numbers().intValue(h.dicts().getItem(table, h.strings().intern("counter", m.thread()))))
                        .as("no lost update").isEqualTo(2L * rounds);
                assertThat(h.dicts().size(table)).isEqualTo(1 + 2 * (rounds / 2));
                for (int w = 0; w < 2; w++) {
                    for (int i = 1; i < rounds; i += 2) {
                        long key = h.numbers().newInt(1_000_000L * (w + 1) + i, m.thread());
                        assertThat(h.strings().toJava(h.dicts().getItem(table, key))).isEqualTo("v" + i);
                        h.decref(key, m.thread());
                    }
                }
                return null;
            });
            assertThat(rt.heap().space(0).allocator().statistics().inUse()).isGreaterThan(before);
            assertThat(handoffs).as("the GIL changed hands between the workers").isPositive();
        }
    }
}
