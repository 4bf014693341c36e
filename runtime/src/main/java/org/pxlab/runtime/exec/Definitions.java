package org.pxlab.runtime.exec;

import java.util.List;
import java.util.regex.Pattern;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Tuples;

/**
 * What {@code import}, {@code def} and {@code class} statements leave behind: modules,
 * code objects with their constants and names, functions, classes and methods. Set-up code
 * (a workload's main-thread part, a test) uses it; it allocates Java objects and is not a
 * hot path.
 *
 * <p>Constants follow CPython 3.12's compiler: a {@code str} constant made only of name
 * characters ({@code [A-Za-z0-9_]}) is interned, and therefore immortal
 * ({@code intern_string_constants}); other strings are ordinary, refcounted objects.
 */
public final class Definitions {
    private static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9_]*");

    /** A constant that is an existing object (borrowed; the constants tuple takes a reference). */
    public record ObjectConstant(long address) {}

    private final PxRuntime runtime;
    private final Heap heap;
    private final ThreadContext thread;

    Definitions(PxRuntime runtime, ThreadContext thread) {
        this.runtime = runtime;
        this.heap = runtime.heap();
        this.thread = thread;
    }

    /**
     * A new module. Its one reference stands for {@code sys.modules}' and is never released,
     * so the module lives as long as the runtime. Borrowed.
     */
    public long module(String name) {
        return heap.modules().newModule(name, thread);
    }

    /**
     * {@code def name(...)} at module level: a code object with the given constants and
     * names, a function over it with the module's globals, bound to {@code name} in the
     * module. Returns the function, borrowed (the module holds it).
     *
     * @param consts Java values: {@code null} (None), Boolean, Long/Integer, Double, String,
     *               or {@link ObjectConstant}
     * @param names  the names the body refers to by index ({@code co_names})
     */
    public long function(long module, String name, int argcount, int nlocals, Object[] consts, String[] names, CodeBody body) {
        long fn = makeFunction(module, name, argcount, nlocals, consts, names, body);
        heap.dicts().setItemTake2(heap.modules().dict(module), heap.strings().intern(name, thread), fn, thread);
        return fn;
    }

    /**
     * {@code class name(base): __slots__ = slots} at module level, bound to {@code name} in the
     * module. Returns the class, borrowed.
     */
    public long klass(long module, String name, long base, List<String> slots, boolean instanceDict) {
        long cls = heap.types().newClass(name, base, slots, instanceDict, thread);
        heap.dicts().setItemTake2(heap.modules().dict(module), heap.strings().intern(name, thread), cls, thread);
        return cls;
    }

    /** {@code def name(self, ...)} inside a class body: the function goes into the class dict. Returns it, borrowed. */
    public long method(long module, long cls, String name, int argcount, int nlocals, Object[] consts, String[] names,
                       CodeBody body) {
        long fn = makeFunction(module, name, argcount, nlocals, consts, names, body);
        heap.dicts().setItemTake2(heap.types().typeDict(cls), heap.strings().intern(name, thread), fn, thread);
        return fn;
    }

    /**
     * A built-in function of a C extension module (e.g. {@code _bisect.bisect_left}), bound to
     * {@code name} in the module. Returns it, borrowed.
     */
    public long nativeFunction(long module, String name, org.pxlab.runtime.object.NativeFunction body) {
        long n = heap.strings().intern(name, thread);
        long fn = heap.functions().newBuiltin(heap.types().registerNative(body), n, 0, thread);
        heap.dicts().setItemTake2(heap.modules().dict(module), heap.newRef(n, thread), fn, thread);
        return fn;
    }

    /** Binds a Java-owned new reference to {@code name} in the module (the module takes it). */
    public void global(long module, String name, long ownedValue) {
        heap.dicts().setItemTake2(heap.modules().dict(module), heap.strings().intern(name, thread), ownedValue, thread);
    }

    private long makeFunction(long module, String name, int argcount, int nlocals, Object[] consts, String[] names,
                              CodeBody body) {
        long constTuple = heap.tuples().allocate(consts.length, thread);
        for (int i = 0; i < consts.length; i++) heap.tuples().initItem(constTuple, i, constant(consts[i]), thread);
        heap.track(constTuple, thread);
        long nameTuple = heap.tuples().allocate(names.length, thread);
        for (int i = 0; i < names.length; i++) {
            heap.tuples().initItem(nameTuple, i, heap.newRef(heap.strings().intern(names[i], thread), thread), thread);
        }
        heap.track(nameTuple, thread);
        long code = heap.functions().newCode(runtime.registerBody(body), heap.strings().intern(name, thread), argcount,
                nlocals, 16, constTuple, nameTuple, thread);
        long fn = heap.functions().newFunction(code, heap.modules().dict(module), thread);
        heap.decref(code, thread);
        return fn;
    }

    /** A constant as a new reference. */
    private long constant(Object value) {
        if (value == null) return heap.types().none();
        if (value instanceof Boolean b) return heap.numbers().bool(b);
        if (value instanceof Long l) return heap.numbers().newInt(l, thread);
        if (value instanceof Integer i) return heap.numbers().newInt(i, thread);
        if (value instanceof Double d) return heap.numbers().newFloat(d, thread);
        if (value instanceof String s) {
            return NAME_CHARS.matcher(s).matches() ? heap.strings().intern(s, thread) : heap.strings().newStr(s, thread);
        }
        if (value instanceof ObjectConstant o) return heap.newRef(o.address(), thread);
        throw new IllegalArgumentException("constant of unsupported type " + value.getClass().getName()
                + "; allowed: null, Boolean, Long, Integer, Double, String, ObjectConstant");
    }

    /** Item {@code i} of a code object's constants (tests). Borrowed. */
    public long constantOf(long function, int i) {
        long consts = heap.functions().codeConsts(heap.functions().functionCode(function));
        return heap.tuples().getItem(consts, i);
    }

}
