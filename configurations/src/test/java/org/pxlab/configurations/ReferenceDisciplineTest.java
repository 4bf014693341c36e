package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.discipline.OpTraffic;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.discipline.ReferenceDiscipline;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.object.Heap;

/** The reference-discipline rows of locals and constants, globals, attributes, subscripts and builders (see {@link DisciplineScenarios}). */
class ReferenceDisciplineTest extends DisciplineScenarios {
    @Test
    void everyRowHasAScenario() {
        List<String> covered = List.of("LOAD_FAST", "STORE_FAST", "LOAD_CONST", "POP_TOP", "LOAD_GLOBAL_MODULE",
                "LOAD_GLOBAL_BUILTIN", "STORE_GLOBAL (new name)", "STORE_GLOBAL (name bound)", "LOAD_ATTR_INSTANCE_VALUE / _SLOT", "LOAD_ATTR_WITH_HINT", "LOAD_ATTR_MODULE",
                "LOAD_ATTR_METHOD_WITH_VALUES", "STORE_ATTR_INSTANCE_VALUE / _SLOT", "STORE_ATTR_WITH_HINT",
                "BINARY_SUBSCR_LIST_INT", "BINARY_SUBSCR_DICT", "STORE_SUBSCR_LIST_INT", "STORE_SUBSCR_DICT (new key)",
                "STORE_SUBSCR_DICT (key present)", "DELETE_SUBSCR (dict)", "BUILD_TUPLE / BUILD_LIST", "BUILD_MAP",
                "BUILD_CONST_KEY_MAP",
                "CALL_PY_EXACT_ARGS (push)", "RETURN_VALUE (pop)", "CALL_BOUND_METHOD_EXACT_ARGS",
                "CALL_BUILTIN_O / _FAST (len)", "CALL_NO_KW_METHOD_DESCRIPTOR_FAST (dict.get)",
                "CALL_NO_KW_METHOD_DESCRIPTOR_* (str.join, str.encode, str.startswith)", "CALL_NO_KW_LIST_APPEND",
                "Python function called from C (_PyEval_Vector)", "_bisect.bisect_left, one probe (C)",
                "a list or dict freed (tp_dealloc)",
                "CALL of a class (type_call, __init__ returning None)", "GET_ITER (list)", "FOR_ITER_LIST (next)",
                "FOR_ITER_LIST (exhausted)", "GET_ITER (dict)", "FOR_ITER (dict keys, next)", "FOR_ITER (dict keys, exhausted)",
                "JUMP_BACKWARD", "POP_JUMP_IF_FALSE / _TRUE (bool)", "BINARY_OP_ADD_INT / COMPARE_OP_INT", "BINARY_OP_ADD_FLOAT (new float)",
                "BINARY_OP_ADD_FLOAT (left reused)", "BINARY_OP_ADD_UNICODE",
                "BINARY_OP_SUBTRACT_INT / _MULTIPLY_INT", "BINARY_OP (int %, //)", "STORE_SUBSCR (a byte into a blob, as bytearray)",
                "CALL_NO_KW_STR_1 (an int)", "CALL_NO_KW_METHOD_DESCRIPTOR_NOARGS (list.copy)", "list.pop (C), items remain",
                "list.pop (C), the only item", "CALL list.sort(key=f), one item (f's frame aside)",
                "list.sort (C), one comparison (unsafe_object_compare)",
                "list.sort (C), one comparison (unsafe_latin_compare / _long_compare)", "_html.escape (C), nothing to escape",
                "_collections._count_elements (C), a counted key", "_collections._count_elements (C), a new key");
        assertThat(ReferenceDiscipline.table(PythonVersion.V3_12)).extracting(OpTraffic::bytecode)
                .containsExactlyInAnyOrderElementsOf(covered);
    }

    @Test
    void loadFast() {
        check("LOAD_FAST", (m, r) -> {
            r.put("value", pushFloat(m, 1.5));
            m.storeFast(0);
        }, (m, r) -> m.loadFast(0));
    }

    @Test
    void storeFast() {
        check("STORE_FAST", (m, r) -> {
            r.put("old", pushFloat(m, 1.0));
            m.storeFast(0);
            r.put("value", pushFloat(m, 2.0));
        }, (m, r) -> m.storeFast(0));
    }

    @Test
    void loadConstOfAMortalString() {
        check("LOAD_CONST", new Object[] {"Hello, World!"}, new String[0],
                (m, r) -> r.put("const", m.peekConst(0)), (m, r) -> m.loadConst(0));
    }

    @Test
    void loadConstOfAnImmortalNameStillCallsIncref() {
        check("LOAD_CONST", new Object[] {"message"}, new String[0], (m, r) -> {
            r.put("const", m.peekConst(0));
            assertThat(m.heap().refcounts().isImmortal(m.peekConst(0))).as("identifier-like constants are interned").isTrue();
        }, (m, r) -> m.loadConst(0));
    }

    @Test
    void popTop() {
        check("POP_TOP", (m, r) -> r.put("value", pushFloat(m, 3.0)), (m, r) -> m.popTop());
    }

    @Test
    void loadGlobalModule() {
        rt.onMain(m -> {
            m.define().global(module, "shared", m.heap().numbers().newFloat(9.0, m.thread()));
            return null;
        });
        check("LOAD_GLOBAL_MODULE", new Object[0], new String[] {"shared"},
                (m, r) -> r.put("value", m.heap().dicts().getItem(m.heap().modules().dict(module),
                        m.heap().strings().intern("shared", m.thread()))),
                (m, r) -> m.loadGlobal(0, true));
    }

    @Test
    void loadGlobalBuiltin() {
        check("LOAD_GLOBAL_BUILTIN", new Object[0], new String[] {"len"},
                (m, r) -> r.put("value", m.heap().dicts().getItem(m.heap().types().builtinsDict(),
                        m.heap().strings().intern("len", m.thread()))),
                (m, r) -> m.loadGlobal(0, false));
    }

    @Test
    void loadAttrSlot() {
        check("LOAD_ATTR_INSTANCE_VALUE / _SLOT", new Object[0], new String[] {"x"}, (m, r) -> {
            r.put("owner", pushPoint(m, r, true));
            m.storeFast(1);
            r.put("attr", r.remove("x"));
            r.remove("y");
            m.loadFast(1);
        }, (m, r) -> m.loadAttr(0));
    }

    @Test
    void loadAttrWithHint() {
        check("LOAD_ATTR_WITH_HINT", new Object[0], new String[] {"y"}, (m, r) -> {
            long p = pushPoint(m, r, true);
            m.storeFast(1);
            m.loadFast(1);
            r.put("owner", p);
            r.put("attr", r.remove("y"));
            r.remove("x");
        }, (m, r) -> m.loadAttr(0));
    }

    @Test
    void loadAttrModule() {
        rt.onMain(m -> {
            m.define().global(module, "setting", m.heap().numbers().newFloat(4.0, m.thread()));
            return null;
        });
        check("LOAD_ATTR_MODULE", new Object[0], new String[] {"setting"}, (m, r) -> {
            m.heap().incref(module, m.thread());
            m.pushNew(module);
            r.put("owner", module);
            r.put("attr", m.heap().dicts().getItem(m.heap().modules().dict(module), m.heap().strings().intern("setting", m.thread())));
        }, (m, r) -> m.loadAttr(0));
    }

    @Test
    void loadMethod() {
        check("LOAD_ATTR_METHOD_WITH_VALUES", new Object[0], new String[] {"get"}, (m, r) -> {
            long p = pushPoint(m, r, false);
            r.put("owner", p);
            r.put("function", m.heap().types().lookup(m.heap().typeOf(p), m.heap().strings().intern("get", m.thread())));
        }, (m, r) -> {
            m.loadMethod(0);
            assertThat(m.peek(0)).as("self on top").isEqualTo(r.get("owner"));
            assertThat(m.peek(1)).as("function below").isEqualTo(r.get("function"));
        });
    }

    @Test
    void storeAttrSlot() {
        check("STORE_ATTR_INSTANCE_VALUE / _SLOT", new Object[0], new String[] {"x"}, (m, r) -> {
            r.put("value", pushFloat(m, 7.0));
            long p = pushPoint(m, r, true);
            m.storeFast(1);
            m.loadFast(1);
            r.put("owner", p);
            r.put("old", r.remove("x"));
            r.remove("y");
        }, (m, r) -> {
            m.storeAttr(0);
            assertThat(m.heap().instances().slot(r.get("owner"), 0)).isEqualTo(r.get("value"));
        });
    }

    @Test
    void storeAttrWithHint() {
        check("STORE_ATTR_WITH_HINT", new Object[0], new String[] {"y"}, (m, r) -> {
            r.put("value", pushFloat(m, 8.0));
            long p = pushPoint(m, r, true);
            m.storeFast(1);
            m.loadFast(1);
            r.put("owner", p);
            r.put("old", r.remove("y"));
            r.remove("x");
        }, (m, r) -> m.storeAttr(0));
    }

    @Test
    void binarySubscrList() {
        check("BINARY_SUBSCR_LIST_INT", (m, r) -> {
            r.put("container", pushList(m, r));
            r.put("item", r.remove("item1"));
            r.remove("item0");
            r.put("index", m.heap().numbers().newInt(1, m.thread()));
            m.pushNew(r.get("index"));
        }, (m, r) -> m.binarySubscr());
    }

    @Test
    void binarySubscrDict() {
        check("BINARY_SUBSCR_DICT", (m, r) -> {
            r.put("container", pushDict(m, r));
            r.put("value", r.remove("stored_value"));
            r.remove("stored_key");
            r.put("key", str(m, "k"));
            m.pushNew(r.get("key"));
        }, (m, r) -> m.binarySubscr());
    }

    @Test
    void storeSubscrList() {
        check("STORE_SUBSCR_LIST_INT", (m, r) -> {
            r.put("value", pushFloat(m, 6.0));
            r.put("container", pushList(m, r));
            r.put("old", r.remove("item0"));
            r.remove("item1");
            r.put("index", m.heap().numbers().newInt(0, m.thread()));
            m.pushNew(r.get("index"));
        }, (m, r) -> m.storeSubscr());
    }

    @Test
    void storeSubscrDictNewKey() {
        check("STORE_SUBSCR_DICT (new key)", (m, r) -> {
            r.put("value", pushFloat(m, 6.0));
            r.put("container", pushDict(m, r));
            r.remove("stored_key");
            r.remove("stored_value");
            r.put("key", str(m, "new"));
            m.pushNew(r.get("key"));
        }, (m, r) -> m.storeSubscr());
    }

    @Test
    void storeSubscrDictKeyPresent() {
        check("STORE_SUBSCR_DICT (key present)", (m, r) -> {
            r.put("value", pushFloat(m, 6.0));
            r.put("container", pushDict(m, r));
            r.put("old", r.remove("stored_value"));
            r.put("key", str(m, "k"));
            m.pushNew(r.get("key"));
        }, (m, r) -> m.storeSubscr());
    }

    @Test
    void deleteSubscrDict() {
        check("DELETE_SUBSCR (dict)", (m, r) -> {
            r.put("container", pushDict(m, r));
            r.put("old", r.remove("stored_value"));
            r.put("key", str(m, "k"));
            m.pushNew(r.get("key"));
        }, (m, r) -> m.deleteSubscr());
    }

    @Test
    void buildTupleAndList() {
        check("BUILD_TUPLE / BUILD_LIST", (m, r) -> {
            r.put("a", pushFloat(m, 1.0));
            r.put("b", pushFloat(m, 2.0));
            r.put("c", pushFloat(m, 3.0));
        }, (m, r) -> {
            m.buildTuple(2);
            m.buildList(2);
        });
    }

    @Test
    void buildMap() {
        check("BUILD_MAP", (m, r) -> {
            r.put("key", str(m, "message"));
            m.pushNew(r.get("key"));
            r.put("value", str(m, "Hello, World!"));
            m.pushNew(r.get("value"));
        }, (m, r) -> m.buildMap(1));
    }

    @Test
    void buildConstKeyMap() {
        long[] keys = new long[1];
        rt.onMain(m -> {
            Heap h = m.heap();
            keys[0] = h.tuples().of(m.thread(), h.newRef(h.strings().intern("id", m.thread()), m.thread()));
            return null;
        });
        check("BUILD_CONST_KEY_MAP", new Object[] {new Definitions.ObjectConstant(keys[0])}, new String[0], (m, r) -> {
            r.put("value", pushFloat(m, 42.0));
            r.put("keys", keys[0]);
            r.put("key", m.heap().strings().intern("id", m.thread()));
            m.loadConst(0);
        }, (m, r) -> {
            m.buildConstKeyMap(1);
            assertThat(m.heap().dicts().getItem(m.peek(0), r.get("key"))).isEqualTo(r.get("value"));
        });
    }
}
