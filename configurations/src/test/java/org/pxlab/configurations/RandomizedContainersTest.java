package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;

/**
 * Property-style checks with fixed seeds: random sequences of dict and list operations,
 * applied to a simulated container and to {@code java.util}'s, must agree at every step,
 * including iteration order, and free everything at the end.
 */
class RandomizedContainersTest {
    private static PxRuntime rt;

    @BeforeAll
    static void start() {
        rt = GilRuntime.start();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void dictAgreesWithLinkedHashMap(long seed) {
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long before = h.space(0).allocator().statistics().inUse();
            Random r = new Random(seed);
            Map<String, Long> model = new LinkedHashMap<>();
            long d = h.dicts().newDict(t);
            for (int step = 0; step < 5_000; step++) {
                String k = "k" + r.nextInt(300);
                long key = h.strings().newStr(k, t);
                switch (r.nextInt(4)) {
                    case 0, 1 -> {
                        long v = r.nextInt(1_000_000);
                        h.dicts().setItemTake2(d, h.newRef(key, t), h.numbers().newInt(v, t), t);
                        model.put(k, v);
                    }
                    case 2 -> assertThat(h.dicts().delItem(d, key, t)).isEqualTo(model.remove(k) != null);
                    default -> {
                        long got = h.dicts().getItem(d, key);
                        Long want = model.get(k);
                        assertThat(got == 0 ? null : h.numbers().intValue(got)).isEqualTo(want);
                    }
                }
                h.decref(key, t);
                assertThat(h.dicts().size(d)).isEqualTo(model.size());
            }
            List<String> order = new ArrayList<>();
            for (long i = 0; i < h.dicts().entrySlots(d); i++) {
                long k = h.dicts().entryKey(d, i);
                if (k != 0) order.add(h.strings().toJava(k));
            }
            // CPython's dict keeps first-insertion order; a key deleted and re-inserted goes last, as in LinkedHashMap.
            assertThat(order).containsExactlyElementsOf(model.keySet());
            h.decref(d, t);
            assertThat(h.space(0).allocator().statistics().inUse()).isEqualTo(before);
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9, 1234})
    void listAgreesWithArrayList(long seed) {
        rt.onMain(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long before = h.space(0).allocator().statistics().inUse();
            Random r = new Random(seed);
            List<Long> model = new ArrayList<>();
            long list = h.lists().newList(0, t);
            for (int step = 0; step < 5_000; step++) {
                int op = model.isEmpty() ? 0 : r.nextInt(3);
                if (op == 0) {
                    long v = r.nextInt(2000) - 1000;
                    h.lists().appendTake(list, h.numbers().newInt(v, t), t);
                    model.add(v);
                } else if (op == 1) {
                    int i = r.nextInt(model.size());
                    long v = r.nextInt(2000) - 1000;
                    h.lists().setItemTake(list, i, h.numbers().newInt(v, t), t);
                    model.set(i, v);
                } else {
                    int i = r.nextInt(model.size());
                    assertThat(h.numbers().intValue(h.lists().getItem(list, i))).isEqualTo(model.get(i));
                }
                assertThat(h.lists().size(list)).isEqualTo(model.size());
            }
            for (int i = 0; i < model.size(); i++) assertThat(h.numbers().intValue(h.lists().getItem(list, i))).isEqualTo(model.get(i));
            h.decref(list, t);
            assertThat(h.space(0).allocator().statistics().inUse()).isEqualTo(before);
            return null;
        });
    }
}
