package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.PyException;
import org.pxlab.runtime.object.TypeKind;

/** The object types' operations on the {@code gil} configuration's heap. */
class ObjectModelTest {
    private static PxRuntime rt;

    @BeforeAll
    static void start() {
        rt = GilRuntime.start();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static <T> T main(java.util.function.Function<Mutator, T> body) {
        return rt.onMain(body);
    }

    @Test
    void stringsHashCompareConcatJoinEncode() {
        main(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long a = h.strings().newStr("Hello, ", t), b = h.strings().newStr("World!", t);
            long ab = h.strings().concat(a, b, t);
            assertThat(h.strings().toJava(ab)).isEqualTo("Hello, World!");
            long same = h.strings().newStr("Hello, World!", t);
            assertThat(h.strings().equal(ab, same)).isTrue();
            assertThat(h.strings().hash(ab)).isEqualTo(h.strings().hash(same)).isNotZero();
            assertThat(h.strings().equal(a, b)).isFalse();
            long list = h.lists().newList(0, t);
            h.lists().append(list, a, t);
            h.lists().append(list, b, t);
            long sep = h.strings().newStr("|", t);
            long joined = h.strings().join(sep, list, t);
            assertThat(h.strings().toJava(joined)).isEqualTo("Hello, |World!");
            long bytes = h.strings().encode(joined, t);
            assertThat(h.kindOf(bytes)).isEqualTo(TypeKind.BYTES);
            assertThat(h.strings().length(bytes)).isEqualTo(14);
            assertThat(h.strings().startsWith(ab, a)).isTrue();
            assertThat(h.strings().startsWith(a, ab)).isFalse();
            long num = h.numbers().newInt(7, t);
            h.lists().append(list, num, t);
            assertThatThrownBy(() -> h.strings().join(sep, list, t)).isInstanceOf(PyException.class).hasMessageContaining("TypeError");
            for (long o : new long[] {a, b, ab, same, list, sep, joined, bytes}) h.decref(o, t);
            return null;
        });
    }

    @Test
    void internedStringsAreImmortalAndUnique() {
        main(m -> {
            long x = m.heap().strings().intern("message", m.thread());
            assertThat(m.heap().strings().intern("message", m.thread())).isEqualTo(x);
            assertThat(m.heap().refcounts().isImmortal(x)).isTrue();
            return null;
        });
    }

    @Test
    void smallIntsAreCachedImmortalsOthersAreFresh() {
        main(m -> {
            Heap h = m.heap();
            assertThat(h.numbers().newInt(256, m.thread())).isEqualTo(h.numbers().newInt(256, m.thread()));
            assertThat(h.refcounts().isImmortal(h.numbers().newInt(-5, m.thread()))).isTrue();
            long a = h.numbers().newInt(257, m.thread()), b = h.numbers().newInt(257, m.thread());
            assertThat(a).isNotEqualTo(b);
            assertThat(h.referenceCount(a)).isEqualTo(1);
            assertThat(h.numbers().floatValue(h.numbers().newFloat(2.5, m.thread()))).isEqualTo(2.5);
            h.decref(a, m.thread());
            h.decref(b, m.thread());
            return null;
        });
    }

    @Test
    void tuplesIndexAndRefuseOutOfRange() {
        main(m -> {
            Heap h = m.heap();
            long t = h.tuples().of(m.thread(), h.numbers().newInt(1, m.thread()), h.strings().newStr("x", m.thread()));
            assertThat(h.tuples().size(t)).isEqualTo(2);
            assertThat(h.strings().toJava(h.tuples().getItem(t, -1))).isEqualTo("x");
            assertThatThrownBy(() -> h.tuples().getItem(t, 2)).hasMessageContaining("IndexError");
            h.decref(t, m.thread());
            return null;
        });
    }

    @Test
    void listsGrowByCPythonsRuleAndIterate() {
        main(m -> {
            Heap h = m.heap();
            long list = h.lists().newList(0, m.thread());
            List<Long> capacities = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                h.lists().appendTake(list, h.numbers().newInt(i, m.thread()), m.thread());
                capacities.add(org.pxlab.runtime.memory.Memory.getLong(list + h.bodyOffset() + org.pxlab.runtime.object.Lists.ALLOCATED));
            }
            // list_resize in 3.12: 0 -> 4 -> 8 -> 16 -> 24 as items are appended one by one.
            assertThat(capacities.stream().distinct().toList()).containsExactly(4L, 8L, 16L, 24L);
            h.lists().setItemTake(list, -1, h.strings().newStr("last", m.thread()), m.thread());
            assertThat(h.strings().toJava(h.lists().getItem(list, 19))).isEqualTo("last");
            long it = h.lists().newIterator(list, m.thread());
            int n = 0;
            for (long v; (v = h.lists().next(it, m.thread())) != 0; n++) h.decref(v, m.thread());
            assertThat(n).isEqualTo(20);
            assertThat(h.lists().next(it, m.thread())).isZero();
            h.decref(it, m.thread());
            h.lists().clear(list, m.thread());
            assertThat(h.lists().size(list)).isZero();
            h.decref(list, m.thread());
            return null;
        });
    }

    @Test
    void dictsKeepInsertionOrderResizeAndDelete() {
        main(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long d = h.dicts().newDict(t);
            for (int i = 0; i < 100; i++) h.dicts().setItemTake2(d, h.strings().newStr("k" + i, t), h.numbers().newInt(i, t), t);
            assertThat(h.dicts().size(d)).isEqualTo(100);
            assertThat(h.dicts().tableSize(d)).isGreaterThanOrEqualTo(128);
            long k50 = h.strings().newStr("k50", t);
            assertThat(h.numbers().intValue(h.dicts().getItem(d, k50))).isEqualTo(50);
            assertThat(h.dicts().delItem(d, k50, t)).isTrue();
            assertThat(h.dicts().delItem(d, k50, t)).isFalse();
            assertThat(h.dicts().getItem(d, k50)).isZero();
            List<String> order = new java.util.ArrayList<>();
            for (long i = 0; i < h.dicts().entrySlots(d); i++) {
                long k = h.dicts().entryKey(d, i);
                if (k != 0) order.add(h.strings().toJava(k));
            }
            assertThat(order).hasSize(99).startsWith("k0", "k1", "k2").endsWith("k98", "k99").doesNotContain("k50");
            long intKey = h.numbers().newInt(1000, t);
            h.dicts().setItem(d, intKey, intKey, t);
            assertThat(h.dicts().getItem(d, h.numbers().newInt(1000, t))).isEqualTo(intKey);
            h.decref(intKey, t);
            h.decref(k50, t);
            h.decref(d, t);
            return null;
        });
    }

    @Test
    void classesSlotsDictsMethodsAndAttributeErrors() {
        long module = main(m -> m.define().module("model"));
        main(m -> {
            Heap h = m.heap();
            ThreadContext t = m.thread();
            long base = m.define().klass(module, "Base", 0, List.of("a"), false);
            long cls = m.define().klass(module, "Child", base, List.of("b"), true);
            long o = h.instances().newInstance(cls, t);
            long a = h.strings().intern("a", t), b = h.strings().intern("b", t), c = h.strings().intern("c", t);
            org.pxlab.runtime.object.AttributeAccess.setAttrTake(h, o, a, h.numbers().newInt(1, t), t);
            org.pxlab.runtime.object.AttributeAccess.setAttrTake(h, o, b, h.numbers().newInt(2, t), t);
            org.pxlab.runtime.object.AttributeAccess.setAttrTake(h, o, c, h.numbers().newInt(3, t), t);
            assertThat(h.instances().slot(o, 0)).isEqualTo(h.numbers().newInt(1, t));
            assertThat(h.instances().slot(o, 1)).isEqualTo(h.numbers().newInt(2, t));
            assertThat(h.dicts().getItem(h.instances().dict(o), c)).isEqualTo(h.numbers().newInt(3, t));
            long missing = h.strings().intern("missing", t);
            assertThatThrownBy(() -> org.pxlab.runtime.object.AttributeAccess.getAttr(h, o, missing, t))
                    .hasMessageContaining("AttributeError").hasMessageContaining("Child").hasMessageContaining("missing");
            long onlySlots = h.instances().newInstance(base, t);
            assertThatThrownBy(() -> org.pxlab.runtime.object.AttributeAccess.setAttrTake(h, onlySlots, c,
                    h.numbers().newInt(3, t), t)).hasMessageContaining("__dict__");
            assertThat(h.referenceCount(cls)).as("module binding + instance").isEqualTo(2);
            h.decref(o, t);
            assertThat(h.referenceCount(cls)).isEqualTo(1);
            h.decref(onlySlots, t);
            return null;
        });
    }

    @Test
    void blobsHoldTheirSize() {
        main(m -> {
            long b = m.heap().blobs().newBlob(100, m.thread());
            assertThat(m.heap().blobs().size(b)).isEqualTo(100);
            assertThat(m.heap().blockSize(b)).isEqualTo(m.heap().bodyOffset() + 8 + 104);
            m.heap().decref(b, m.thread());
            return null;
        });
    }
}
