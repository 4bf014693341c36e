package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.discipline.OpTraffic;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.discipline.RefTrafficRecorder;
import org.pxlab.runtime.discipline.ReferenceDiscipline;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ListSort;
import org.pxlab.runtime.object.NativeModules;

/**
 * Every row of the 3.12 reference-discipline table, checked against the mutator: a scenario
 * names the objects that play each role, runs the operation while a
 * {@link RefTrafficRecorder} counts, and the counts must equal the row's, role by role,
 * with no traffic on any object the row does not name.
 */
class ReferenceDisciplineTest {
    private static PxRuntime rt;
    private static RefTrafficRecorder recorder;
    private static long module;
    private static long pointClass;

    @BeforeAll
    static void start() {
        rt = GilRuntime.startRecording();
        recorder = GilRuntime.recorder(rt);
        module = rt.onMain(m -> m.define().module("scenarios"));
        pointClass = rt.onMain(ReferenceDisciplineTest::pointClass);
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    /** Roles filled by a scenario's set-up and operation. */
    private static final class Roles extends LinkedHashMap<String, Long> {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Runs a scenario inside a function with 4 locals and the given constants and names:
     * {@code setup} prepares the stack and names roles; only {@code op} is recorded (it may
     * name roles of objects it creates). What the operation leaves on the stack is released
     * afterwards, unrecorded.
     */
    private static void check(String bytecode, Object[] consts, String[] names, BiConsumer<Mutator, Roles> setup,
                              BiConsumer<Mutator, Roles> op) {
        OpTraffic row = ReferenceDiscipline.row(PythonVersion.V3_12, bytecode);
        Roles roles = new Roles();
        var seen = new java.util.concurrent.atomic.AtomicReference<Map<Long, int[]>>();
        rt.onMain(m -> {
            long fn = m.define().function(module, "scenario", 0, 4, consts, names, mm -> {
                setup.accept(mm, roles);
                recorder.start();
                op.accept(mm, roles);
                recorder.stop();
                seen.set(recorder.all());
                while (mm.stackSize() > 0) mm.heap().xdecref(mm.popOwned(), mm.thread()); // NULL slots included
                mm.pushNew(mm.heap().types().none());
                mm.returnValue();
            });
            m.enterModule(module, 0);
            m.heap().decref(m.callFunction(fn), m.thread());
            m.exitFrame();
            return null;
        });
        verify(row, roles, seen.get());
    }

    private static void check(String bytecode, BiConsumer<Mutator, Roles> setup, BiConsumer<Mutator, Roles> op) {
        check(bytecode, new Object[0], new String[0], setup, op);
    }

    private static void verify(OpTraffic row, Roles roles, Map<Long, int[]> all) {
        for (Map.Entry<String, Long> role : roles.entrySet()) {
            int[] c = all.getOrDefault(role.getValue(), new int[2]);
            assertThat(c[0]).as("%s: increfs of %s (table: %s)", row.bytecode(), role.getKey(), row.traffic())
                    .isEqualTo(row.increfs().getOrDefault(role.getKey(), 0));
            assertThat(c[1]).as("%s: decrefs of %s (table: %s)", row.bytecode(), role.getKey(), row.traffic())
                    .isEqualTo(row.decrefs().getOrDefault(role.getKey(), 0));
        }
        for (String named : row.increfs().keySet()) assertThat(roles).as("scenario names role %s", named).containsKey(named);
        for (String named : row.decrefs().keySet()) assertThat(roles).as("scenario names role %s", named).containsKey(named);
        for (Map.Entry<Long, int[]> e : all.entrySet()) {
            assertThat(roles.containsValue(e.getKey())).as("%s: traffic on an object the table does not name (+%d -%d)",
                    row.bytecode(), e.getValue()[0], e.getValue()[1]).isTrue();
        }
    }

    private static long str(Mutator m, String s) {
        return m.heap().strings().newStr(s, m.thread());
    }

    /** A mortal float pushed onto the stack (the frame owns it); returns its address. */
    private static long pushFloat(Mutator m, double v) {
        long f = m.heap().numbers().newFloat(v, m.thread());
        m.pushNew(f);
        return f;
    }

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

    // ---- locals and constants ----

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

    // ---- globals ----

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

    // ---- attributes ----

    /** class Point: __slots__ x; instances also get a dict. Methods: get(self) returns self. */
    private static long pointClass(Mutator m) {
        Definitions d = m.define();
        long cls = d.klass(module, "Point", 0, List.of("x"), true);
        d.method(module, cls, "get", 1, 1, new Object[0], new String[0], mm -> {
            mm.loadFast(0);
            mm.returnValue();
        });
        return cls;
    }

    /** A new Point (pushed, frame-owned) with slot x and dict attribute y set, both mortal floats. */
    private static long pushPoint(Mutator m, Roles r, boolean nameValues) {
        Heap h = m.heap();
        long p = h.instances().newInstance(pointClass, m.thread());
        long x = h.numbers().newFloat(1.0, m.thread());
        long y = h.numbers().newFloat(2.0, m.thread());
        h.instances().setSlotTake(p, 0, x, m.thread());
        h.dicts().setItemTake2(h.instances().dictForStore(p, m.thread()), h.strings().intern("y", m.thread()), y, m.thread());
        m.pushNew(p);
        if (nameValues) {
            r.put("x", x);
            r.put("y", y);
        }
        return p;
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

    // ---- subscripts ----

    /** A list [float, float] in local 1, pushed once more; its items named item0, item1. */
    private static long pushList(Mutator m, Roles r) {
        long a = pushFloat(m, 1.0);
        long b = pushFloat(m, 2.0);
        m.buildList(2);
        long list = m.peek(0);
        m.storeFast(1);
        m.loadFast(1);
        r.put("item0", a);
        r.put("item1", b);
        return list;
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

    /** A dict {"k": float} in local 1, pushed once more. */
    private static long pushDict(Mutator m, Roles r) {
        long d = m.heap().dicts().newDict(m.thread());
        long key = str(m, "k");
        long value = m.heap().numbers().newFloat(5.0, m.thread());
        m.heap().dicts().setItemTake2(d, key, value, m.thread());
        m.pushNew(d);
        m.storeFast(1);
        m.loadFast(1);
        r.put("stored_key", key);
        r.put("stored_value", value);
        return d;
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

    // ---- builders ----

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

    // ---- calls ----

    @Test
    void callPythonFunctionPushesAFrame() {
        long fn = rt.onMain(m -> m.define().function(module, "ident", 1, 1, new Object[0], new String[0], mm -> {
            recorder.stop(); // the body and the return are other rows
            mm.loadFast(0);
            mm.returnValue();
        }));
        check("CALL_PY_EXACT_ARGS (push)", (m, r) -> {
            m.pushNew(0);
            r.put("function", fn);
            m.heap().incref(fn, m.thread());
            m.pushNew(fn);
            r.put("arg", pushFloat(m, 1.0));
            r.put("code", m.heap().functions().functionCode(fn));
        }, (m, r) -> m.call(1));
    }

    @Test
    void returnValuePopsTheFrame() {
        long[] local = new long[1];
        long fn = rt.onMain(m -> m.define().function(module, "ret", 1, 1, new Object[0], new String[0], mm -> {
            local[0] = mm.local(0);
            mm.loadFast(0);
            recorder.start();
            mm.returnValue();
            recorder.stop();
        }));
        check("RETURN_VALUE (pop)", (m, r) -> {
            m.pushNew(0);
            m.heap().incref(fn, m.thread());
            m.pushNew(fn);
            r.put("local", pushFloat(m, 1.0));
            r.put("function", fn);
            r.put("code", m.heap().functions().functionCode(fn));
        }, (m, r) -> {
            recorder.stop();
            m.call(1); // records only inside the body, around returnValue
            assertThat(local[0]).isEqualTo(r.get("local"));
        });
    }

    @Test
    void callBoundMethod() {
        check("CALL_BOUND_METHOD_EXACT_ARGS", new Object[0], new String[] {"get"}, (m, r) -> {
            long p = pushPoint(m, r, false);
            m.storeFast(1);
            m.pushNew(0);
            m.loadFast(1);
            m.loadAttr(0); // a bound method object: Point.get bound to p
            r.put("method", m.peek(0));
            r.put("self", p);
            r.put("function", m.heap().functions().methodFunc(m.peek(0)));
            m.heap().incref(r.get("method"), m.thread()); // keep the method object readable after the call
        }, (m, r) -> {
            long code = m.heap().functions().functionCode(r.get("function"));
            r.put("code", code);
            m.call(0);
            // The frame it then pushed and popped: +1 code / -1 code, -1 function (f_funcobj),
            // and get's body (+1 self, then -1 self as the local is released). Remove those
            // from the count so only the bound-method prologue is compared.
            undo(r.get("code"), 1, 1);
            undo(r.get("function"), 0, 1);
            undo(r.get("self"), 1, 1);
        });
    }

    /** Subtracts traffic the scenario accounts to other rows. */
    private static void undo(long object, int increfs, int decrefs) {
        recorder.subtract(object, increfs, decrefs);
    }

    @Test
    void callBuiltinLen() {
        check("CALL_BUILTIN_O / _FAST (len)", new Object[0], new String[] {"len"}, (m, r) -> {
            m.loadGlobal(0, true);
            r.put("callable", m.peek(0));
            r.put("arg", str(m, "abc"));
            m.pushNew(r.get("arg"));
            m.heap().incref(r.get("arg"), m.thread()); // keep it for the assertion below
        }, (m, r) -> {
            m.call(1);
            assertThat(m.heap().numbers().intValue(m.peek(0))).isEqualTo(3);
        });
    }

    @Test
    void callMethodDescriptorDictGet() {
        check("CALL_NO_KW_METHOD_DESCRIPTOR_FAST (dict.get)", new Object[0], new String[] {"get"}, (m, r) -> {
            long d = pushDict(m, r);
            r.put("result", r.remove("stored_value"));
            r.remove("stored_key");
            m.loadMethod(0);
            r.put("callable", m.peek(1));
            r.put("self", d);
            r.put("arg", str(m, "k"));
            m.pushNew(r.get("arg"));
        }, (m, r) -> {
            m.call(1);
            assertThat(m.peek(0)).isEqualTo(r.get("result"));
        });
    }

    @Test
    void callListAppend() {
        check("CALL_NO_KW_LIST_APPEND", new Object[0], new String[] {"append"}, (m, r) -> {
            long list = pushList(m, r);
            r.remove("item0");
            r.remove("item1");
            m.loadMethod(0);
            r.put("callable", m.peek(1));
            r.put("self", list);
            r.put("arg", pushFloat(m, 3.0));
        }, (m, r) -> {
            m.call(1);
            assertThat(m.heap().lists().size(r.get("self"))).isEqualTo(3);
        });
    }

    @Test
    void callClassRunsInit() {
        long[] cls = new long[1];
        rt.onMain(m -> {
            Definitions d = m.define();
            cls[0] = d.klass(module, "Box", 0, List.of("v"), false);
            d.method(module, cls[0], "__init__", 2, 2, new Object[] {null}, new String[0], mm -> {
                mm.loadConst(0);
                mm.returnValue();
            });
            return null;
        });
        check("CALL of a class (type_call, __init__ returning None)", new Object[0], new String[] {"Box"}, (m, r) -> {
            m.loadGlobal(0, true);
            r.put("type", cls[0]);
            r.put("init", m.heap().types().lookup(cls[0], m.heap().strings().intern("__init__", m.thread())));
            r.put("code", m.heap().functions().functionCode(r.get("init")));
            r.put("none", m.heap().types().none());
            r.put("arg", pushFloat(m, 1.0));
            m.heap().incref(r.get("arg"), m.thread()); // survive the call's -1 for the check below
        }, (m, r) -> {
            m.call(1);
            r.put("instance", m.peek(0));
            assertThat(m.heap().typeOf(m.peek(0))).isEqualTo(cls[0]);
        });
    }

    // ---- iteration and arithmetic ----

    @Test
    void getIter() {
        check("GET_ITER (list)", (m, r) -> {
            r.put("list", pushList(m, r));
            r.remove("item0");
            r.remove("item1");
        }, (m, r) -> m.getIter());
    }

    @Test
    void forIterNext() {
        check("FOR_ITER_LIST (next)", (m, r) -> {
            pushList(m, r);
            r.put("item", r.remove("item0"));
            r.remove("item1");
            m.getIter();
        }, (m, r) -> assertThat(m.forIter()).isTrue());
    }

    @Test
    void forIterExhausted() {
        check("FOR_ITER_LIST (exhausted)", (m, r) -> {
            long list = pushList(m, r);
            r.remove("item0");
            r.remove("item1");
            m.getIter();
            r.put("iterator", m.peek(0));
            r.put("list", list);
            m.heap().incref(r.get("iterator"), m.thread()); // keep it valid until the check
            assertThat(m.forIter()).isTrue();
            m.popTop();
            assertThat(m.forIter()).isTrue();
            m.popTop();
        }, (m, r) -> {
            assertThat(m.forIter()).isFalse();
            assertThat(m.heap().lists().size(r.get("list"))).isEqualTo(2);
        });
    }

    @Test
    void binaryAddIntOfSmallInts() {
        check("BINARY_OP_ADD_INT / COMPARE_OP_INT", (m, r) -> {
            r.put("left", m.heap().numbers().newInt(2, m.thread()));
            m.pushNew(r.get("left"));
            r.put("right", m.heap().numbers().newInt(3, m.thread()));
            m.pushNew(r.get("right"));
        }, (m, r) -> {
            m.binaryAddInt();
            assertThat(m.peek(0)).isEqualTo(m.heap().numbers().newInt(5, m.thread()));
        });
    }

    @Test
    void compareIntOfMortalInts() {
        check("BINARY_OP_ADD_INT / COMPARE_OP_INT", (m, r) -> {
            r.put("left", m.heap().numbers().newInt(1000, m.thread()));
            m.pushNew(r.get("left"));
            r.put("right", m.heap().numbers().newInt(2000, m.thread()));
            m.pushNew(r.get("right"));
        }, (m, r) -> {
            m.compareLessInt();
            assertThat(m.peek(0)).isEqualTo(m.heap().types().trueObject());
        });
    }

    @Test
    void binaryAddUnicode() {
        check("BINARY_OP_ADD_UNICODE", (m, r) -> {
            r.put("left", str(m, "Hello, "));
            m.pushNew(r.get("left"));
            r.put("right", str(m, "World!"));
            m.pushNew(r.get("right"));
        }, (m, r) -> {
            m.binaryAddStr();
            assertThat(m.heap().strings().toJava(m.peek(0))).isEqualTo("Hello, World!");
        });
    }

    // ---- added for the seed workloads ----

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

    /** A mortal int pushed onto the stack (the frame owns it); returns its address. */
    private static long pushInt(Mutator m, long v) {
        long i = m.heap().numbers().newInt(v, m.thread());
        m.pushNew(i);
        return i;
    }

    /** A list of the given (owned) items, kept in local 1 and pushed once more; returns it. */
    private static long pushListOf(Mutator m, long... items) {
        for (long item : items) m.pushNew(item);
        m.buildList(items.length);
        long list = m.peek(0);
        m.storeFast(1);
        m.loadFast(1);
        return list;
    }

    /**
     * Names the one object with recorded traffic that no role names yet (an object a native
     * creates and frees inside the operation, such as an iterator).
     */
    private static void nameTheRest(Roles r, String role) {
        List<Long> rest = recorder.all().keySet().stream().filter(a -> !r.containsValue(a)).toList();
        assertThat(rest).as("objects with traffic that no role names").hasSize(1);
        r.put(role, rest.get(0));
    }

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
