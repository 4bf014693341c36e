package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pxlab.runtime.discipline.OpTraffic;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.discipline.RefTrafficRecorder;
import org.pxlab.runtime.discipline.ReferenceDiscipline;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;

/**
 * The harness of the reference-discipline tests: every row of the 3.12 reference-discipline
 * table is checked against the mutator by a scenario that names the objects playing each role,
 * runs the operation while a {@link RefTrafficRecorder} counts, and requires the counts to equal
 * the row's, role by role, with no traffic on any object the row does not name. The rows are
 * split by what they exercise: {@link ReferenceDisciplineTest} (locals, globals, attributes,
 * subscripts, builders), {@link CallDisciplineTest} (calls, iteration, arithmetic),
 * {@link WorkloadOpsDisciplineTest} (the operations the workloads added). Each class runs on a
 * recording {@code gil} runtime of its own.
 */
abstract class DisciplineScenarios {
    static PxRuntime rt;
    static RefTrafficRecorder recorder;
    static long module;
    static long pointClass;

    @BeforeAll
    static void start() {
        rt = GilRuntime.startRecording();
        recorder = GilRuntime.recorder(rt);
        module = rt.onMain(m -> m.define().module("scenarios"));
        pointClass = rt.onMain(DisciplineScenarios::pointClass);
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    /** Roles filled by a scenario's set-up and operation. */
    static final class Roles extends LinkedHashMap<String, Long> {
        static final long serialVersionUID = 1L;
    }

    /**
     * Runs a scenario inside a function with 4 locals and the given constants and names:
     * {@code setup} prepares the stack and names roles; only {@code op} is recorded (it may
     * name roles of objects it creates). What the operation leaves on the stack is released
     * afterwards, unrecorded.
     */
    static void check(String bytecode, Object[] consts, String[] names, BiConsumer<Mutator, Roles> setup,
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

    static void check(String bytecode, BiConsumer<Mutator, Roles> setup, BiConsumer<Mutator, Roles> op) {
        check(bytecode, new Object[0], new String[0], setup, op);
    }

    static void verify(OpTraffic row, Roles roles, Map<Long, int[]> all) {
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

    static long str(Mutator m, String s) {
        return m.heap().strings().newStr(s, m.thread());
    }

    /** A mortal float pushed onto the stack (the frame owns it); returns its address. */
    static long pushFloat(Mutator m, double v) {
        long f = m.heap().numbers().newFloat(v, m.thread());
        m.pushNew(f);
        return f;
    }

    /** class Point: __slots__ x; instances also get a dict. Methods: get(self) returns self. */
    static long pointClass(Mutator m) {
        Definitions d = m.define();
        long cls = d.klass(module, "Point", 0, List.of("x"), true);
        d.method(module, cls, "get", 1, 1, new Object[0], new String[0], mm -> {
            mm.loadFast(0);
            mm.returnValue();
        });
        return cls;
    }

    /** A new Point (pushed, frame-owned) with slot x and dict attribute y set, both mortal floats. */
    static long pushPoint(Mutator m, Roles r, boolean nameValues) {
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

    /** A list [float, float] in local 1, pushed once more; its items named item0, item1. */
    static long pushList(Mutator m, Roles r) {
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

    /** A dict {"k": float} in local 1, pushed once more. */
    static long pushDict(Mutator m, Roles r) {
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

    /** Subtracts traffic the scenario accounts to other rows. */
    static void undo(long object, int increfs, int decrefs) {
        recorder.subtract(object, increfs, decrefs);
    }

    /** A mortal int pushed onto the stack (the frame owns it); returns its address. */
    static long pushInt(Mutator m, long v) {
        long i = m.heap().numbers().newInt(v, m.thread());
        m.pushNew(i);
        return i;
    }

    /** A list of the given (owned) items, kept in local 1 and pushed once more; returns it. */
    static long pushListOf(Mutator m, long... items) {
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
    static void nameTheRest(Roles r, String role) {
        List<Long> rest = recorder.all().keySet().stream().filter(a -> !r.containsValue(a)).toList();
        assertThat(rest).as("objects with traffic that no role names").hasSize(1);
        r.put(role, rest.get(0));
    }
}
