package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.Definitions;

/** The reference-discipline rows of calls, iteration and arithmetic (see {@link DisciplineScenarios}). */
class CallDisciplineTest extends DisciplineScenarios {
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
}
