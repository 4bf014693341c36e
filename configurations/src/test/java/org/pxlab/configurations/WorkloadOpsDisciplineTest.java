package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ListSort;
import org.pxlab.runtime.object.NativeModules;

/** The reference-discipline rows of the operations the seed workloads and the workload set added (see {@link DisciplineScenarios}). */
class WorkloadOpsDisciplineTest extends DisciplineScenarios {
    @Test
    void storeGlobalNewName() {
        check("STORE_GLOBAL (new name)", new Object[0], new String[] {"fresh_global"}, (m, r) -> {
            r.put("value", pushFloat(m, 1.0));
            r.put("name", m.heap().strings().intern("fresh_global", m.thread()));
        }, (m, r) -> m.storeGlobal(0));
    }

    @Test
    void storeGlobalNameBound() {
        rt.onMain(m -> {
            m.define().global(module, "bound_global", m.heap().numbers().newFloat(0.5, m.thread()));
            return null;
        });
        check("STORE_GLOBAL (name bound)", new Object[0], new String[] {"bound_global"}, (m, r) -> {
            r.put("value", pushFloat(m, 1.0));
            r.put("name", m.heap().strings().intern("bound_global", m.thread()));
            r.put("old", m.heap().dicts().getItem(m.heap().modules().dict(module), r.get("name")));
        }, (m, r) -> m.storeGlobal(0));
    }

    @Test
    void getIterOverADict() {
        check("GET_ITER (dict)", (m, r) -> {
            r.put("dict", pushDict(m, r));
            r.remove("stored_key");
            r.remove("stored_value");
        }, (m, r) -> m.getIter());
    }

    @Test
    void forIterOverDictKeys() {
        check("FOR_ITER (dict keys, next)", (m, r) -> {
            pushDict(m, r);
            r.put("key", r.remove("stored_key"));
            r.remove("stored_value");
            m.getIter();
        }, (m, r) -> assertThat(m.forIter()).isTrue());
    }

    @Test
    void forIterOverDictKeysExhausted() {
        check("FOR_ITER (dict keys, exhausted)", (m, r) -> {
            long d = pushDict(m, r);
            r.remove("stored_key");
            r.remove("stored_value");
            m.getIter();
            r.put("iterator", m.peek(0));
            r.put("dict", d);
            m.heap().incref(r.get("iterator"), m.thread());
            assertThat(m.forIter()).isTrue();
            m.popTop();
        }, (m, r) -> assertThat(m.forIter()).isFalse());
    }

    @Test
    void popJumpOnABool() {
        check("POP_JUMP_IF_FALSE / _TRUE (bool)", (m, r) -> {
            m.pushNew(m.heap().types().falseObject());
            r.put("bool", m.heap().types().falseObject());
        }, (m, r) -> assertThat(m.popTruth()).isFalse());
    }

    @Test
    void binaryAddFloatOfSharedInputsMakesANewFloat() {
        check("BINARY_OP_ADD_FLOAT (new float)", (m, r) -> {
            r.put("left", pushFloat(m, 1.25));
            m.heap().incref(r.get("left"), m.thread()); // another holder: count 2, so no reuse
            r.put("right", pushFloat(m, 2.5));
            m.heap().incref(r.get("right"), m.thread());
        }, (m, r) -> {
            m.binaryAddFloat();
            assertThat(m.peek(0)).isNotIn(r.get("left"), r.get("right"));
            assertThat(m.heap().numbers().floatValue(m.peek(0))).isEqualTo(3.75);
        });
    }

    @Test
    void binaryAddFloatReusesALeftInputNobodyElseHolds() {
        check("BINARY_OP_ADD_FLOAT (left reused)", (m, r) -> {
            r.put("left", pushFloat(m, 1.25));
            r.put("right", pushFloat(m, 2.5));
            m.heap().incref(r.get("right"), m.thread());
        }, (m, r) -> {
            m.binaryAddFloat();
            assertThat(m.peek(0)).isEqualTo(r.get("left"));
            assertThat(m.heap().numbers().floatValue(m.peek(0))).isEqualTo(3.75);
        });
    }

    @Test
    void callStrMethodDescriptor() {
        check("CALL_NO_KW_METHOD_DESCRIPTOR_* (str.join, str.encode, str.startswith)", new Object[0], new String[] {"join"},
                (m, r) -> {
                    m.pushNew(str(m, "a"));
                    m.pushNew(str(m, "b"));
                    m.buildList(2);
                    r.put("arg", m.peek(0));
                    m.storeFast(1);
                    r.put("self", str(m, ", "));
                    m.pushNew(r.get("self"));
                    m.loadMethod(0);                // ", ".join
                    r.put("callable", m.peek(1));
                    m.loadFast(1);                  // (parts)
                }, (m, r) -> {
                    m.call(1);
                    assertThat(m.heap().strings().toJava(m.peek(0))).isEqualTo("a, b");
                });
    }

    @Test
    void pythonFunctionCalledFromC() {
        long fn = rt.onMain(m -> m.define().function(module, "from_c", 1, 1, new Object[0], new String[0], mm -> {
            recorder.stop(); // the body and the return are other rows
            mm.loadFast(0);
            mm.returnValue();
        }));
        check("Python function called from C (_PyEval_Vector)", (m, r) -> {
            r.put("function", fn);
            r.put("code", m.heap().functions().functionCode(fn));
            r.put("arg", pushFloat(m, 1.0));
            m.storeFast(1);
        }, (m, r) -> {
            long result = m.callFunction(fn, m.local(1));
            m.heap().decref(result, m.thread());
        });
    }

    @Test
    void bisectLeftProbesIncrefAndDecrefEachItem() {
        check("_bisect.bisect_left, one probe (C)", (m, r) -> {
            long list = m.heap().lists().newList(1, m.thread());
            long item = str(m, "apple");
            m.heap().lists().appendTake(list, item, m.thread());
            m.pushNew(list);
            m.storeFast(1);
            m.pushNew(str(m, "banana"));
            m.storeFast(2);
            r.put("item", item);
        }, (m, r) -> {
            // One item: exactly one probe. Called directly, without CALL's own traffic (another row).
            long result = org.pxlab.runtime.object.NativeModules.bisectLeft(m.heap(), m.thread(), 0,
                    new long[] {m.local(1), m.local(2)}, 0, 2);
            assertThat(m.heap().numbers().intValue(result)).isEqualTo(1);
        });
    }

    @Test
    void freeingAContainerReleasesEachItem() {
        long[] list = new long[1];
        check("a list or dict freed (tp_dealloc)", (m, r) -> {
            long item = str(m, "kept");
            m.pushNew(item);
            m.storeFast(2);                         // local 2 keeps the item alive
            list[0] = m.heap().lists().newList(1, m.thread());
            m.heap().lists().append(list[0], item, m.thread());
            m.pushNew(list[0]);
            m.storeFast(1);                         // local 1 holds the list's only reference
            r.put("item", item);
        }, (m, r) -> {
            m.pushNew(0);
            m.storeFast(1);                         // STORE_FAST releases the list, which frees it
            recorder.subtract(list[0], 0, 1);       // that -1 is STORE_FAST's row; what remains is the free's
        });
    }
    // ---- added for the workload set ----

    @Test
    void binarySubtractInt() {
        check("BINARY_OP_SUBTRACT_INT / _MULTIPLY_INT", (m, r) -> {
            r.put("left", pushInt(m, 1000));
            r.put("right", pushInt(m, 300));
        }, (m, r) -> {
            m.binarySubtractInt();
            assertThat(m.heap().numbers().intValue(m.peek(0))).isEqualTo(700);
        });
    }

    @Test
    void binaryMultiplyInt() {
        check("BINARY_OP_SUBTRACT_INT / _MULTIPLY_INT", (m, r) -> {
            r.put("left", pushInt(m, 1000));
            r.put("right", pushInt(m, 7919));
        }, (m, r) -> {
            m.binaryMultiplyInt();
            assertThat(m.heap().numbers().intValue(m.peek(0))).isEqualTo(7_919_000);
        });
    }

    @Test
    void binaryOpRemainderFloors() {
        check("BINARY_OP (int %, //)", (m, r) -> {
            r.put("left", pushInt(m, -1000));
            r.put("right", pushInt(m, 300));
        }, (m, r) -> {
            m.binaryOp(Mutator.BinaryOp.REMAINDER);
            assertThat(m.heap().numbers().intValue(m.peek(0))).isEqualTo(200);
        });
    }

    @Test
    void binaryOpFloorDivide() {
        check("BINARY_OP (int %, //)", (m, r) -> {
            r.put("left", pushInt(m, -1000));
            r.put("right", pushInt(m, 300));
        }, (m, r) -> {
            m.binaryOp(Mutator.BinaryOp.FLOOR_DIVIDE);
            assertThat(m.heap().numbers().intValue(m.peek(0))).isEqualTo(-4);
        });
    }

    @Test
    void storeSubscrIntoABlob() {
        check("STORE_SUBSCR (a byte into a blob, as bytearray)", (m, r) -> {
            r.put("value", pushInt(m, 7));
            long blob = m.heap().blobs().newBlob(8, m.thread());
            Memory.zero(m.heap().blobs().data(blob), 8);
            m.pushNew(blob);
            m.storeFast(1);
            m.loadFast(1);
            r.put("container", blob);
            r.put("index", pushInt(m, -6));
        }, (m, r) -> {
            m.storeSubscr();
            assertThat(Memory.getByte(m.heap().blobs().data(r.get("container")) + 2)).isEqualTo((byte) 7);
        });
    }

    @Test
    void callStrOfAnInt() {
        check("CALL_NO_KW_STR_1 (an int)", new Object[0], new String[] {"str"}, (m, r) -> {
            m.loadGlobal(0, true);
            r.put("callable", m.peek(0));
            r.put("arg", pushInt(m, -12345));
        }, (m, r) -> {
            m.call(1);
            assertThat(m.heap().strings().toJava(m.peek(0))).isEqualTo("-12345");
        });
    }

    @Test
    void callListCopy() {
        check("CALL_NO_KW_METHOD_DESCRIPTOR_NOARGS (list.copy)", new Object[0], new String[] {"copy"}, (m, r) -> {
            long item = m.heap().numbers().newFloat(1.0, m.thread());
            r.put("item", item);
            r.put("self", pushListOf(m, item));
            m.loadMethod(0);
            r.put("callable", m.peek(1));
        }, (m, r) -> {
            m.call(0);
            assertThat(m.heap().lists().getItem(m.peek(0), 0)).isEqualTo(r.get("item"));
            assertThat(m.peek(0)).isNotEqualTo(r.get("self"));
        });
    }

    @Test
    void listPopWithItemsLeftMovesTheItem() {
        check("list.pop (C), items remain", (m, r) -> {
            long a = m.heap().numbers().newFloat(1.0, m.thread()), b = m.heap().numbers().newFloat(2.0, m.thread());
            r.put("list", pushListOf(m, a, b));
            r.put("item", a);
            r.put("other", b);
        }, (m, r) -> {
            long item = m.heap().lists().pop(r.get("list"), 0, m.thread());
            assertThat(item).isEqualTo(r.get("item"));
            assertThat(m.heap().lists().size(r.get("list"))).isEqualTo(1);
            assertThat(m.heap().lists().getItem(r.get("list"), 0)).isEqualTo(r.get("other"));
            m.pushNew(item); // the caller's reference, released after the scenario
        });
    }

    @Test
    void listPopOfTheOnlyItemClearsTheList() {
        check("list.pop (C), the only item", (m, r) -> {
            long a = m.heap().numbers().newFloat(1.0, m.thread());
            r.put("list", pushListOf(m, a));
            r.put("item", a);
        }, (m, r) -> {
            long item = m.heap().lists().pop(r.get("list"), -1, m.thread());
            assertThat(item).isEqualTo(r.get("item"));
            assertThat(m.heap().lists().size(r.get("list"))).isZero();
            m.pushNew(item);
        });
    }

    @Test
    void callListSortWithAKeyFunction() {
        long fn = rt.onMain(m -> m.define().function(module, "sort_key", 1, 1, new Object[] {2.5}, new String[0], mm -> {
            mm.loadConst(0);                        // return 2.5 (a mortal constant: the key)
            mm.returnValue();
        }));
        check("CALL list.sort(key=f), one item (f's frame aside)", new Object[0], new String[] {"sort"}, (m, r) -> {
            long item = m.heap().numbers().newFloat(1.0, m.thread());
            r.put("item", item);
            r.put("self", pushListOf(m, item));
            m.loadMethod(0);
            r.put("callable", m.peek(1));
            m.heap().incref(fn, m.thread());
            m.pushNew(fn);
            r.put("function", fn);
            r.put("code", m.heap().functions().functionCode(fn));
            r.put("key", m.define().constantOf(fn, 0));
            r.put("none", m.heap().types().none());
        }, (m, r) -> {
            m.call(1);
            assertThat(m.peek(0)).isEqualTo(r.get("none"));
            // f's own rows: LOAD_CONST (+1 key), RETURN_VALUE (-1 local, -1 function, -1 code).
            undo(r.get("key"), 1, 0);
            undo(r.get("item"), 0, 1);
            undo(r.get("function"), 0, 1);
            undo(r.get("code"), 0, 1);
        });
    }

    @Test
    void sortingWideStrKeysReleasesEachComparisonsBool() {
        check("list.sort (C), one comparison (unsafe_object_compare)", (m, r) -> {
            // Two items in order: count_run makes exactly one comparison, which is False.
            r.put("list", pushListOf(m, str(m, "A list is only as strong \u2014"), str(m, "Any program \u2014")));
            r.put("result", m.heap().types().falseObject());
        }, (m, r) -> ListSort.sort(m.heap(), m.thread(), r.get("list"), null, 0));
    }

    @Test
    void sortingWideIntKeysReleasesEachComparisonsBool() {
        check("list.sort (C), one comparison (unsafe_object_compare)", (m, r) -> {
            long big = m.heap().numbers().newInt(1L << 40, m.thread()), small = m.heap().numbers().newInt(3, m.thread());
            r.put("list", pushListOf(m, big, small));
            r.put("result", m.heap().types().trueObject()); // 3 < 2**40: a descending run of two, reversed
        }, (m, r) -> {
            ListSort.sort(m.heap(), m.thread(), r.get("list"), null, 0);
            assertThat(m.heap().numbers().intValue(m.heap().lists().getItem(r.get("list"), 0))).isEqualTo(3);
        });
    }

    @Test
    void sortingLatinStrKeysMakesNoTraffic() {
        check("list.sort (C), one comparison (unsafe_latin_compare / _long_compare)", (m, r) -> {
            long c = str(m, "caf\u00e9"), a = str(m, "alpha"), b = str(m, "beta");
            r.put("list", pushListOf(m, c, a, b));
            r.put("a", a);
            r.put("b", b);
            r.put("c", c);
        }, (m, r) -> {
            ListSort.sort(m.heap(), m.thread(), r.get("list"), null, 0);
            Heap h = m.heap();
            assertThat(List.of(h.lists().getItem(r.get("list"), 0), h.lists().getItem(r.get("list"), 1),
                    h.lists().getItem(r.get("list"), 2))).containsExactly(r.get("a"), r.get("b"), r.get("c"));
        });
    }

    @Test
    void sortingSmallIntKeysMakesNoTrafficAndIsStable() {
        check("list.sort (C), one comparison (unsafe_latin_compare / _long_compare)", (m, r) -> {
            long k1 = m.heap().numbers().newInt(1000, m.thread()), k2 = m.heap().numbers().newInt(1000, m.thread());
            long k0 = m.heap().numbers().newInt(5, m.thread()), k3 = m.heap().numbers().newInt(-7, m.thread());
            r.put("list", pushListOf(m, k1, k0, k2, k3));
            r.put("k0", k0);
            r.put("k1", k1);
            r.put("k2", k2);
            r.put("k3", k3);
        }, (m, r) -> {
            ListSort.sort(m.heap(), m.thread(), r.get("list"), null, 0);
            Heap h = m.heap();
            long list = r.get("list");
            assertThat(List.of(h.lists().getItem(list, 0), h.lists().getItem(list, 1), h.lists().getItem(list, 2),
                    h.lists().getItem(list, 3))).containsExactly(r.get("k3"), r.get("k0"), r.get("k1"), r.get("k2"));
        });
    }

    @Test
    void escapeOfAStrWithNothingToEscapeReturnsIt() {
        check("_html.escape (C), nothing to escape", (m, r) -> {
            r.put("s", str(m, "Any program that runs right is obsolete."));
            m.pushNew(r.get("s"));
        }, (m, r) -> {
            long out = NativeModules.escape(m.heap(), m.thread(), 0, new long[] {r.get("s")}, 0, 1);
            assertThat(out).isEqualTo(r.get("s"));
            m.pushNew(out);
        });
    }

    @Test
    void escapeOfAStrWithMarkupMakesANewOne() {
        rt.onMain(m -> {
            Heap h = m.heap();
            long s = str(m, "<b>\"Tom\" & 'Jerry'</b>");
            long out = NativeModules.escape(h, m.thread(), 0, new long[] {s}, 0, 1);
            assertThat(h.strings().toJava(out)).isEqualTo("&lt;b&gt;&quot;Tom&quot; &amp; &#x27;Jerry&#x27;&lt;/b&gt;");
            h.decref(out, m.thread());
            h.decref(s, m.thread());
            return null;
        });
    }

    @Test
    void countElementsOfACountedKey() {
        check("_collections._count_elements (C), a counted key", (m, r) -> {
            Heap h = m.heap();
            long counts = h.dicts().newDict(m.thread());
            long old = h.numbers().newInt(1000, m.thread());
            h.dicts().setItemTake2(counts, str(m, "/json"), old, m.thread());
            m.pushNew(counts);
            m.storeFast(2);
            long key = str(m, "/json");
            r.put("key", key);
            r.put("list", pushListOf(m, key));
            r.put("old", old);
        }, (m, r) -> {
            Heap h = m.heap();
            long counts = m.local(2);
            long none = NativeModules.countElements(h, m.thread(), 0, new long[] {counts, r.get("list")}, 0, 2);
            assertThat(none).isEqualTo(h.types().none());
            long value = h.dicts().getItem(counts, r.get("key"));
            assertThat(h.numbers().intValue(value)).isEqualTo(1001);
            r.put("value", value);
            nameTheRest(r, "iterator");
        });
    }

    @Test
    void countElementsOfANewKey() {
        check("_collections._count_elements (C), a new key", (m, r) -> {
            Heap h = m.heap();
            m.pushNew(h.dicts().newDict(m.thread()));
            m.storeFast(2);
            long key = str(m, "/db");
            r.put("key", key);
            r.put("list", pushListOf(m, key));
            r.put("one", h.numbers().newInt(1, m.thread()));
        }, (m, r) -> {
            Heap h = m.heap();
            long counts = m.local(2);
            NativeModules.countElements(h, m.thread(), 0, new long[] {counts, r.get("list")}, 0, 2);
            assertThat(h.dicts().getItem(counts, r.get("key"))).isEqualTo(r.get("one"));
            nameTheRest(r, "iterator");
        });
    }

    @Test
    void jumpBackwardEmitsNothing() {
        check("JUMP_BACKWARD", (m, r) -> r.put("value", pushFloat(m, 1.0)), (m, r) -> m.jumpBackward());
    }
}
