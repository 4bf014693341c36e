package org.pxlab.runtime.exec;

import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.AttributeAccess;
import org.pxlab.runtime.object.Functions;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ListSort;
import org.pxlab.runtime.object.PyException;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;
import org.pxlab.runtime.object.Tuples;

/**
 * What simulated code does, one CPython bytecode at a time, on one runtime thread.
 *
 * <p>Each operation takes its inputs from the current frame's operand stack and leaves its
 * outputs there, and emits exactly the {@code Py_INCREF}/{@code Py_DECREF} calls that
 * CPython 3.12's specialised instruction emits ({@code Python/bytecodes.c}); the
 * reference-discipline table in the README lists them, and {@code ReferenceDisciplineTest}
 * checks every operation against it. That is what makes the study valid: contention lives
 * in the counts of shared objects (types, functions, code, globals, attribute values) that
 * every request touches.
 *
 * <p>Every operation first does the configured interpreter work. Pending work (a GIL drop
 * request, a scheduled collection) runs only where CPython 3.12 checks its eval breaker: on
 * entry to a function, after a call into C, and at {@link #jumpBackward()}, which loop bodies
 * issue where the Python loop jumps back.
 *
 * <p>A mutator belongs to one runtime thread and is not thread safe.
 */
public final class Mutator {
    private final PxRuntime runtime;
    private final Heap heap;
    private final ThreadContext thread;
    private final FrameStack f;
    private final InterpreterWork work;
    private final TypeObjects types;
    private final long listAppend;
    private final long listSort;
    private final Definitions definitions;

    Mutator(PxRuntime runtime, ThreadContext thread) {
        this.runtime = runtime;
        this.heap = runtime.heap();
        this.thread = thread;
        this.f = new FrameStack(runtime.dataStack(thread));
        this.work = runtime.interpreterWork();
        this.types = heap.types();
        this.listAppend = types.lookup(types.listType(), heap.strings().intern("append", thread));
        this.listSort = types.lookup(types.listType(), heap.strings().intern("sort", thread));
        this.definitions = new Definitions(runtime, thread);
    }

    /** Set-up operations: modules, functions, classes (what import, def and class statements do). */
    public Definitions define() {
        return definitions;
    }

    /** The heap (for object construction and inspection). */
    public Heap heap() {
        return heap;
    }

    /** This mutator's thread. */
    public ThreadContext thread() {
        return thread;
    }

    /** The runtime. */
    public PxRuntime runtime() {
        return runtime;
    }

    /** Every operation: the interpreter's own dispatch work, if configured. */
    private void boundary() {
        work.perform();
    }

    /**
     * {@code CHECK_EVAL_BREAKER}: runs pending work (a GIL drop request, a scheduled
     * collection) where CPython 3.12 checks for it, and only there: on entry to a function
     * ({@code RESUME}), after a call into C, and at {@code JUMP_BACKWARD}. Between two checks a
     * thread keeps the GIL, which is why {@code counts[k] += 1} without a call in between is
     * atomic under the GIL in practice. Every reference the thread holds is in its frames here.
     */
    private void checkEvalBreaker() {
        if (thread.evalBreaker() != 0) runtime.handlePending(thread);
    }

    /**
     * {@code JUMP_BACKWARD}: the end of a loop iteration (a {@code for} or {@code while}
     * body). No reference traffic; an eval-breaker check. Bodies call it where the Python loop
     * jumps back.
     */
    public void jumpBackward() {
        boundary();
        checkEvalBreaker();
    }

    // ---------------------------------------------------------------- frames

    /**
     * Opens a module-level frame: code that runs with {@code module}'s dict as globals and
     * {@code nlocals} local slots, as a module body or a test scenario does. Holds no
     * function or code object. Close it with {@link #exitFrame()}.
     */
    public void enterModule(long module, int nlocals) {
        long globals = heap.modules().dict(module);
        f.openFrame(0, 0, globals, types.builtinsDict(), 0, 0, nlocals, 0, 0);
    }

    /** Closes a module-level frame, releasing its locals and whatever is left on its stack. */
    public void exitFrame() {
        if (f.fp < 0) throw new IllegalStateException("no frame to exit");
        f.closeFrame(heap, thread);
    }

    /** Number of frames open on this thread. */
    public int frameDepth() {
        return f.depth;
    }

    /** Values on the current frame's operand stack. */
    public int stackSize() {
        return f.operandCount();
    }

    /** The value {@code depth} slots below the top (0 = top), borrowed from the frame. */
    public long peek(int depth) {
        return f.peek(depth);
    }

    /** Local {@code i} of the current frame, borrowed (0 if unbound). */
    public long local(int i) {
        return f.s[f.fp + FrameStack.LOCALS + i];
    }

    /**
     * Moves a reference that Java code owns onto the operand stack (the frame now owns it).
     * How set-up code hands objects built with the heap's constructors to simulated code.
     */
    public void pushNew(long ownedReference) {
        f.push(ownedReference);
    }

    /** Moves the top of the stack back to Java: the caller now owns that reference. */
    public long popOwned() {
        return f.pop();
    }

    // ---------------------------------------------------------------- locals and constants

    /** {@code LOAD_FAST i}: +1 local. */
    public void loadFast(int i) {
        boundary();
        long v = local(i);
        if (v == 0) throw new PyException("UnboundLocalError", "local " + i + " referenced before assignment");
        heap.incref(v, thread);
        f.push(v);
    }

    /** {@code STORE_FAST i}: the value moves into the local; -1 old value. */
    public void storeFast(int i) {
        boundary();
        long v = f.pop();
        int at = f.fp + FrameStack.LOCALS + i;
        long old = f.s[at];
        f.s[at] = v;
        heap.xdecref(old, thread);
    }

    /** Constant {@code i} of the current function, borrowed (no operation, no traffic). */
    public long peekConst(int i) {
        return Memory.getLong(f.s[f.fp + FrameStack.CONSTS] + heap.bodyOffset() + Tuples.ITEMS + 8L * i);
    }

    /** {@code LOAD_CONST i}: +1 constant (a no-op write for immortal constants, but the call is made). */
    public void loadConst(int i) {
        boundary();
        long v = peekConst(i);
        heap.incref(v, thread);
        f.push(v);
    }

    /** {@code POP_TOP}: -1. */
    public void popTop() {
        boundary();
        heap.decref(f.pop(), thread);
    }

    // ---------------------------------------------------------------- globals

    private long name(int i) {
        long names = f.s[f.fp + FrameStack.NAMES];
        if (names == 0) throw new IllegalStateException("this frame has no co_names (a module frame names with loadGlobalName)");
        return Memory.getLong(names + heap.bodyOffset() + Tuples.ITEMS + 8L * i);
    }

    /**
     * {@code LOAD_GLOBAL_MODULE} / {@code LOAD_GLOBAL_BUILTIN} with {@code co_names[i]}:
     * +1 value; the dicts are untouched; pushing the NULL of a call is free.
     *
     * @param pushNull push NULL below the value, for a following {@link #call}
     */
    public void loadGlobal(int i, boolean pushNull) {
        boundary();
        loadGlobalByName(name(i), pushNull);
    }

    /** {@code LOAD_GLOBAL} with the name given directly (an interned {@code str}); used by module frames. */
    public void loadGlobalName(long name, boolean pushNull) {
        boundary();
        loadGlobalByName(name, pushNull);
    }

    private void loadGlobalByName(long name, boolean pushNull) {
        long v = heap.dicts().getItem(f.s[f.fp + FrameStack.GLOBALS], name);
        if (v == 0) v = heap.dicts().getItem(f.s[f.fp + FrameStack.BUILTINS], name);
        if (v == 0) throw new PyException("NameError", "name '" + heap.strings().toJava(name) + "' is not defined");
        heap.incref(v, thread);
        if (pushNull) f.push(0);
        f.push(v);
    }

    /**
     * {@code STORE_GLOBAL co_names[i]}: {@code PyDict_SetItem} (+1 name, +1 value; if the name
     * was bound: -1 old value, -1 name), then -1 value.
     */
    public void storeGlobal(int i) {
        storeGlobalName(name(i));
    }

    /** {@code STORE_GLOBAL} with an interned name given directly; used by module frames. */
    public void storeGlobalName(long name) {
        boundary();
        long v = f.pop();
        heap.dicts().setItem(f.s[f.fp + FrameStack.GLOBALS], name, v, thread);
        heap.decref(v, thread);
    }

    // ---------------------------------------------------------------- attributes

    /**
     * {@code LOAD_ATTR co_names[i]}: +1 attribute, -1 owner
     * ({@code LOAD_ATTR_INSTANCE_VALUE}, {@code _SLOT}, {@code _WITH_HINT}, {@code _MODULE},
     * {@code _CLASS}). A function found on the class is bound into a new method object
     * (+1 function, +1 owner inside it).
     */
    public void loadAttr(int i) {
        boundary();
        long owner = f.pop();
        long v = AttributeAccess.getAttr(heap, owner, name(i), thread);
        f.push(v);
        heap.decref(owner, thread);
    }

    /**
     * {@code LOAD_ATTR co_names[i]} in method form ({@code LOAD_ATTR_METHOD_WITH_VALUES}):
     * if the class has a function or built-in method under the name and the instance does
     * not shadow it, pushes the function (+1) and moves the owner above it as {@code self};
     * otherwise pushes NULL and the attribute (+1) and releases the owner (-1).
     */
    public void loadMethod(int i) {
        boundary();
        long owner = f.pop();
        long name = name(i);
        long method = AttributeAccess.lookupMethod(heap, owner, name);
        if (method != 0) {
            heap.incref(method, thread);
            f.push(method);
            f.push(owner);
        } else {
            long v = AttributeAccess.getAttr(heap, owner, name, thread);
            f.push(0);
            f.push(v);
            heap.decref(owner, thread);
        }
    }

    /**
     * {@code STORE_ATTR co_names[i]} (stack: value, owner): the value moves into the slot or
     * the instance dict entry, -1 old value (if any), -1 owner
     * ({@code STORE_ATTR_INSTANCE_VALUE}, {@code _SLOT}, {@code _WITH_HINT}). A name new to
     * the instance dict takes the generic path: {@code PyObject_SetAttr} (+1 value inside
     * the dict), then -1 value, -1 owner.
     */
    public void storeAttr(int i) {
        boundary();
        long owner = f.pop();
        long v = f.pop();
        AttributeAccess.setAttrTake(heap, owner, name(i), v, thread);
        heap.decref(owner, thread);
    }

    // ---------------------------------------------------------------- subscripts

    /**
     * {@code BINARY_SUBSCR} (stack: container, index): {@code _LIST_INT} / {@code _TUPLE_INT}:
     * +1 item, -1 index, -1 container; {@code _DICT}: +1 value, -1 dict, -1 key.
     */
    public void binarySubscr() {
        boundary();
        long sub = f.pop();
        long container = f.pop();
        long v = switch (heap.kindOf(container)) {
            case LIST -> heap.lists().getItem(container, intIndex(sub));
            case TUPLE -> heap.tuples().getItem(container, intIndex(sub));
            case DICT -> {
                long r = heap.dicts().getItem(container, sub);
                if (r == 0) throw new PyException("KeyError", describe(sub));
                yield r;
            }
            default -> throw new PyException("TypeError", "'" + typeName(container) + "' object is not subscriptable");
        };
        heap.incref(v, thread);
        f.push(v);
        if (heap.kindOf(container) == TypeKind.DICT) {
            heap.decref(container, thread);
            heap.decref(sub, thread);
        } else {
            heap.decref(sub, thread);
            heap.decref(container, thread);
        }
    }

    /**
     * {@code STORE_SUBSCR} (stack: value, container, index): {@code _LIST_INT}: the value
     * moves in, -1 old item, -1 index, -1 list; {@code _DICT}: {@code _PyDict_SetItem_Take2}
     * takes key and value (if the key was present: -1 old value, -1 the new key), -1 dict;
     * a blob (the generic {@code STORE_SUBSCR}, as on a {@code bytearray}): the int's value is
     * stored as a byte, then -1 value, -1 blob, -1 index.
     */
    public void storeSubscr() {
        boundary();
        long sub = f.pop();
        long container = f.pop();
        long v = f.pop();
        switch (heap.kindOf(container)) {
            case LIST -> {
                heap.lists().setItemTake(container, intIndex(sub), v, thread);
                heap.decref(sub, thread);
                heap.decref(container, thread);
            }
            case DICT -> {
                heap.dicts().setItemTake2(container, sub, v, thread);
                heap.decref(container, thread);
            }
            case BLOB -> {
                storeByte(container, sub, v);
                heap.decref(v, thread);
                heap.decref(container, thread);
                heap.decref(sub, thread);
            }
            default -> throw new PyException("TypeError", "'" + typeName(container) + "' object does not support item assignment");
        }
    }

    /** {@code bytearray[i] = v} on a blob: the byte is copied; references are the caller's to release. */
    private void storeByte(long blob, long sub, long v) {
        TypeKind vk = heap.kindOf(v);
        long size = heap.blobs().size(blob);
        long i = (heap.kindOf(sub) == TypeKind.INT || heap.kindOf(sub) == TypeKind.BOOL) ? heap.numbers().intValue(sub) : Long.MIN_VALUE;
        if (i < 0 && i != Long.MIN_VALUE) i += size;
        String error = i == Long.MIN_VALUE ? "TypeError" : i < 0 || i >= size ? "IndexError"
                : (vk != TypeKind.INT && vk != TypeKind.BOOL) || heap.numbers().intValue(v) < 0 || heap.numbers().intValue(v) > 255
                ? "ValueError" : null;
        if (error != null) {
            heap.decref(v, thread);
            heap.decref(blob, thread);
            heap.decref(sub, thread);
            throw new PyException(error, switch (error) {
                case "TypeError" -> "blob indices must be integers, not " + typeName(sub);
                case "IndexError" -> "blob index out of range";
                default -> "byte must be in range(0, 256)";
            });
        }
        Memory.putByte(heap.blobs().data(blob) + i, (byte) heap.numbers().intValue(v));
    }

    /** {@code DELETE_SUBSCR} (stack: container, index): removes the item (its references released), -1 container, -1 index. */
    public void deleteSubscr() {
        boundary();
        long sub = f.pop();
        long container = f.pop();
        if (heap.kindOf(container) != TypeKind.DICT) {
            throw new PyException("TypeError", "'" + typeName(container) + "' object does not support item deletion here");
        }
        if (!heap.dicts().delItem(container, sub, thread)) throw new PyException("KeyError", describe(sub));
        heap.decref(container, thread);
        heap.decref(sub, thread);
    }

    private long intIndex(long sub) {
        TypeKind k = heap.kindOf(sub);
        if (k != TypeKind.INT && k != TypeKind.BOOL) throw new PyException("TypeError", "indices must be integers, not " + typeName(sub));
        return heap.numbers().intValue(sub);
    }

    // ---------------------------------------------------------------- builders

    /** {@code BUILD_TUPLE n}: the tuple steals the n items. */
    public void buildTuple(int n) {
        boundary();
        long t = heap.tuples().allocate(n, thread);
        for (int i = n - 1; i >= 0; i--) heap.tuples().initItem(t, i, f.pop());
        heap.track(t, thread);
        f.push(t);
    }

    /** {@code BUILD_LIST n}: the list steals the n items. */
    public void buildList(int n) {
        boundary();
        long list = heap.lists().newList(n, thread);
        int base = f.sp - n;
        for (int i = 0; i < n; i++) heap.lists().appendTake(list, f.s[base + i], thread);
        f.sp = base;
        f.push(list);
    }

    /** {@code BUILD_MAP n} (stack: k1, v1, ... kn, vn): {@code _PyDict_FromItems} +1 each key and value, then -1 each input. */
    public void buildMap(int n) {
        boundary();
        long d = heap.dicts().newDict(thread);
        int base = f.sp - 2 * n;
        for (int i = 0; i < n; i++) heap.dicts().setItem(d, f.s[base + 2 * i], f.s[base + 2 * i + 1], thread);
        for (int i = 0; i < 2 * n; i++) heap.decref(f.s[base + i], thread);
        f.sp = base;
        f.push(d);
    }

    /**
     * {@code BUILD_CONST_KEY_MAP n} (stack: v1 ... vn, keys), what the compiler emits for a
     * dict display of two or more constant keys: {@code _PyDict_FromItems} +1 each key (taken
     * from the constant tuple) and value, then -1 each value and -1 the keys tuple.
     */
    public void buildConstKeyMap(int n) {
        boundary();
        long keys = f.pop();
        if (heap.kindOf(keys) != TypeKind.TUPLE || heap.tuples().size(keys) != n) {
            heap.decref(keys, thread);
            throw new PyException("SystemError", "bad BUILD_CONST_KEY_MAP keys argument");
        }
        long d = heap.dicts().newDict(thread);
        int base = f.sp - n;
        for (int i = 0; i < n; i++) heap.dicts().setItem(d, heap.tuples().getItem(keys, i), f.s[base + i], thread);
        for (int i = 0; i < n; i++) heap.decref(f.s[base + i], thread);
        heap.decref(keys, thread);
        f.sp = base;
        f.push(d);
    }

    // ---------------------------------------------------------------- calls

    /**
     * {@code CALL nargs} (stack: NULL-or-method, callable-or-self, args...). What it emits
     * depends on the callable, as 3.12's specialisations do:
     * <ul>
     * <li>a Python function with matching arity ({@code CALL_PY_EXACT_ARGS}): the callable
     *     moves into {@code f_funcobj}, self and args move into locals, +1 code; the body
     *     runs; {@link #returnValue} releases the frame;</li>
     * <li>a bound method ({@code CALL_BOUND_METHOD_EXACT_ARGS}): +1 self, +1 function,
     *     -1 method object, then as above;</li>
     * <li>{@code list.append} in method form ({@code CALL_NO_KW_LIST_APPEND}): the list
     *     steals the argument, -1 list, -1 callable;</li>
     * <li>a built-in function or method descriptor ({@code CALL_BUILTIN_*},
     *     {@code CALL_NO_KW_METHOD_DESCRIPTOR_*}): arguments borrowed, -1 each argument
     *     (self included), -1 callable;</li>
     * <li>{@code list.sort} ({@code CALL_METHOD_DESCRIPTOR_FAST_WITH_KEYWORDS}): see
     *     {@link #sortList};</li>
     * <li>{@code str(x)} ({@code CALL_NO_KW_STR_1}): {@code PyObject_Str(x)}, then -1 x,
     *     -1 {@code str};</li>
     * <li>a class ({@code type_call}, generic {@code CALL}): see {@link #callType}.</li>
     * </ul>
     * The result is pushed in place of the consumed slots.
     */
    public void call(int nargs) {
        boundary();
        int argsAt = f.sp - nargs;
        long method = f.s[argsAt - 2];
        long callable = f.s[argsAt - 1];
        int total = nargs;
        if (method != 0) {
            callable = method;
            argsAt--;
            total++;
        }
        switch (heap.kindOf(callable)) {
            case FUNCTION -> callFunction(callable, total, method != 0 ? 1 : 2);
            case BOUND_METHOD -> {
                if (method != 0) throw new IllegalStateException("a bound method in the method slot");
                long func = heap.functions().methodFunc(callable);
                long self = heap.functions().methodSelf(callable);
                f.s[argsAt - 2] = heap.newRef(func, thread);
                f.s[argsAt - 1] = heap.newRef(self, thread);
                heap.decref(callable, thread);
                callFunction(func, nargs + 1, 1);
            }
            case BUILTIN -> callBuiltin(callable, method != 0, argsAt, total);
            case TYPE -> {
                if (callable == types.strType()) callStr(method != 0, argsAt, total);
                else callType(callable, argsAt, total, argsAt - (method != 0 ? 1 : 2));
            }
            default -> throw new PyException("TypeError", "'" + typeName(callable) + "' object is not callable");
        }
    }

    /**
     * A Python function whose {@code total} arguments are the top stack slots, with
     * {@code below} more slots under them that the call consumes: 2 (NULL, callable) or, in
     * method form, 1 (the function, with self counted among the arguments). The function's
     * reference in those slots moves into {@code f_funcobj}.
     */
    private void callFunction(long func, int total, int below) {
        Functions fn = heap.functions();
        long code = fn.functionCode(func);
        int argc = fn.codeArgcount(code);
        if (argc != total) {
            throw new PyException("TypeError", heap.strings().toJava(fn.codeName(code)) + "() takes " + argc
                    + " positional arguments but " + total + " were given");
        }
        heap.incref(code, thread);
        f.openFrame(func, code, fn.functionGlobals(func), fn.functionBuiltins(func), fn.codeConsts(code), fn.codeNames(code),
                fn.codeNlocals(code), total, below);
        checkEvalBreaker(); // RESUME
        runBody(code);
    }

    private void runBody(long code) {
        int frame = f.fp;
        runtime.body(heap.functions().codeBodyId(code)).run(this);
        if (f.fp == frame) throw new IllegalStateException("the body of " + heap.strings().toJava(heap.functions().codeName(code))
                + " did not end with returnValue()");
    }

    private void callBuiltin(long callable, boolean methodForm, int argsAt, int total) {
        long result;
        if (callable == listSort) {
            if (total < 1 || total > 2 || heap.kindOf(f.s[argsAt]) != TypeKind.LIST) {
                throw new PyException("TypeError", "pxlab calls list.sort as lst.sort() or lst.sort(key)");
            }
            result = sortList(f.s[argsAt], total == 2 ? f.s[argsAt + 1] : 0);
            for (int i = 0; i < total; i++) heap.decref(f.s[argsAt + i], thread);
            heap.decref(callable, thread);
        } else if (callable == listAppend && methodForm && total == 2) {
            long self = f.s[argsAt];
            heap.lists().appendTake(self, f.s[argsAt + 1], thread);
            heap.decref(self, thread);
            heap.decref(callable, thread);
            result = types.none();
        } else {
            long boundSelf = heap.functions().builtinSelf(callable);
            long self = boundSelf != 0 ? boundSelf : (methodForm ? f.s[argsAt] : 0);
            int first = boundSelf == 0 && methodForm ? argsAt + 1 : argsAt;
            int n = argsAt + total - first;
            result = types.nativeFunction(heap.functions().builtinId(callable)).call(heap, thread, self, f.s, first, n);
            for (int i = 0; i < total; i++) heap.decref(f.s[argsAt + i], thread);
            heap.decref(callable, thread);
        }
        f.sp = methodForm ? argsAt - 1 : argsAt - 2;
        f.push(result);
        checkEvalBreaker();
    }

    /**
     * {@code list.sort(key=f)}, as 3.12's {@code list_sort_impl} runs it: each item's key is
     * {@code f(item)}, called from C ({@code PyObject_CallOneArg}, i.e. {@code _PyEval_Vector}:
     * +1 f, +1 item, +1 code, then f's frame), and kept until the end; the comparisons are
     * {@link ListSort}'s; then each key is released (-1 key) and the result is
     * {@code Py_XNewRef(Py_None)} (+1 none). The caller ({@code CALL}) then releases the
     * arguments and the method (-1 f, -1 list, -1 callable).
     *
     * <p>pxlab passes {@code key} positionally: 3.12's {@code KW_NAMES} emits no reference
     * traffic, and {@code CALL} with keyword names releases the keyword argument like any
     * other. The keys are held on this frame's operand stack while the key function runs, so
     * a collection sees them; CPython also empties the list meanwhile, pxlab leaves it (a key
     * function that changes the list's length is reported, as CPython reports it).
     *
     * @param key the key function (borrowed), 0 or {@code None} for none
     * @return {@code None}, a new reference
     */
    private long sortList(long list, long key) {
        if (key == types.none()) key = 0;
        int n = (int) heap.lists().size(list);
        ListSort.checkLength(n);
        int keysAt = f.sp;
        if (key != 0) {
            if (heap.kindOf(key) != TypeKind.FUNCTION) {
                throw new PyException("TypeError", "pxlab's list.sort takes a Python function as its key");
            }
            for (int i = 0; i < n; i++) {
                int at = f.sp;
                f.push(heap.lists().getItem(list, i)); // borrowed, as saved_ob_item[i] is for the call
                f.s[at] = invoke(key, 0, at, 1);        // the slot now holds the key, owned by the frame
            }
            if (heap.lists().size(list) != n) throw new PyException("ValueError", "list modified during sort");
        }
        ListSort.sort(heap, thread, list, key != 0 ? f.s : null, keysAt);
        for (int i = keysAt; i < f.sp; i++) { // the keys, in their sorted order, as CPython releases them
            long k = f.s[i];
            f.s[i] = 0;
            heap.decref(k, thread);
        }
        f.sp = keysAt;
        return heap.newRef(types.none(), thread);
    }

    /**
     * {@code CALL_NO_KW_STR_1}: {@code str(x)} of an int (a new str) or of a str (+1 x, the
     * same object), then -1 x and -1 {@code str} (the callable; the type is immortal).
     */
    private void callStr(boolean methodForm, int argsAt, int total) {
        if (methodForm || total != 1) throw new PyException("TypeError", "pxlab calls str with one argument");
        long arg = f.s[argsAt];
        long result = switch (heap.kindOf(arg)) {
            case INT -> heap.strings().fromLong(heap.numbers().intValue(arg), thread);
            case STR -> heap.newRef(arg, thread);
            default -> throw new PyException("TypeError", "pxlab's str() converts ints and strs, not " + typeName(arg));
        };
        heap.decref(arg, thread);
        heap.decref(types.strType(), thread);
        f.sp = argsAt - 2;
        f.push(result);
    }

    /**
     * Calling a class (3.12 has no {@code CALL_ALLOC_AND_ENTER_INIT}; the generic
     * {@code CALL} reaches {@code type_call}): the instance is allocated (+1 class, a heap
     * type); {@code __init__}, if defined, is looked up (+1) and called through the vector
     * call protocol ({@code _PyEval_Vector}: +1 function, +1 each argument, self included,
     * +1 code; the frame's close releases them), its {@code None} result released (-1),
     * and the looked-up function released (-1); then {@code CALL} releases the class (-1)
     * and each argument (-1).
     */
    private void callType(long type, int argsAt, int total, int base) {
        if (!types.isHeapType(type)) throw new PyException("TypeError", "pxlab cannot call built-in type " + typeName(type));
        long self = heap.instances().newInstance(type, thread);
        long init = types.lookup(type, heap.strings().intern("__init__", thread));
        f.push(self); // held by the frame while __init__ runs, so a collection sees it
        if (init != 0) {
            heap.incref(init, thread);
            long result = invoke(init, self, argsAt, total);
            if (result != types.none()) throw new PyException("TypeError", "__init__() should return None");
            heap.decref(result, thread);
            heap.decref(init, thread);
        } else if (total != 0) {
            throw new PyException("TypeError", typeName(type) + "() takes no arguments");
        }
        f.sp--;
        for (int i = 0; i < total; i++) heap.decref(f.s[argsAt + i], thread);
        heap.decref(type, thread);
        f.sp = base;
        f.push(self);
        checkEvalBreaker();
    }

    /**
     * Calls a Python function from native code with borrowed arguments ({@code _PyEval_Vector}):
     * +1 function, +1 self (if any) and each argument, then a frame as {@code CALL} makes.
     * Returns the result as a new reference owned by the caller.
     *
     * @param self   prepended as the first argument if non-zero
     * @param argsAt index of the first argument on this thread's data stack
     */
    private long invoke(long func, long self, int argsAt, int nargs) {
        if (heap.kindOf(func) != TypeKind.FUNCTION) throw new PyException("TypeError", "pxlab calls only Python functions here");
        heap.incref(func, thread);
        f.push(0);
        f.push(func);
        if (self != 0) f.push(heap.newRef(self, thread));
        for (int i = 0; i < nargs; i++) f.push(heap.newRef(f.s[argsAt + i], thread));
        callFunction(func, nargs + (self != 0 ? 1 : 0), 2);
        long result = f.pop();
        return result;
    }

    /**
     * Calls a Python function from Java with no arguments (the harness calling a handler).
     * Returns a new reference. Needs an open frame (e.g. {@link #enterModule}).
     */
    public long callFunction(long func) {
        boundary();
        return invoke(func, 0, f.sp, 0);
    }

    /** As {@link #callFunction(long)}, with one argument, borrowed for the call. */
    public long callFunction(long func, long arg) {
        boundary();
        int argsAt = f.sp;
        f.push(arg);
        long result = invoke(func, 0, argsAt, 1);
        f.sp = argsAt;
        return result;
    }

    /** As {@link #callFunction(long)}, with two arguments, borrowed for the call. */
    public long callFunction(long func, long arg0, long arg1) {
        boundary();
        int argsAt = f.sp;
        f.push(arg0);
        f.push(arg1);
        long result = invoke(func, 0, argsAt, 2);
        f.sp = argsAt;
        return result;
    }

    /** {@code RETURN_VALUE}: the result moves to the caller; the frame's locals, function and code are released. */
    public void returnValue() {
        boundary();
        long v = f.pop();
        f.closeFrame(heap, thread);
        f.push(v);
    }

    // ---------------------------------------------------------------- iteration

    /**
     * {@code GET_ITER} over a list or a dict (its keys): the iterator holds +1 container;
     * -1 the iterable popped.
     */
    public void getIter() {
        boundary();
        long iterable = f.pop();
        long it = switch (heap.kindOf(iterable)) {
            case LIST -> heap.lists().newIterator(iterable, thread);
            case DICT -> heap.dicts().newKeyIterator(iterable, thread);
            default -> throw new PyException("TypeError", "pxlab iterates lists and dicts, not " + typeName(iterable));
        };
        f.push(it);
        heap.decref(iterable, thread);
    }

    /**
     * {@code FOR_ITER_LIST} (or the generic {@code FOR_ITER} over a dict's keys): pushes the
     * next item (+1) and returns true; when exhausted the iterator drops its container (-1),
     * the iterator is popped and released (-1), and it returns false.
     */
    public boolean forIter() {
        boundary();
        long it = f.peek(0);
        long next = heap.kindOf(it) == TypeKind.LIST_ITERATOR ? heap.lists().next(it, thread) : heap.dicts().nextKey(it, thread);
        if (next != 0) {
            f.push(next);
            return true;
        }
        f.pop();
        heap.decref(it, thread);
        return false;
    }

    /**
     * {@code POP_JUMP_IF_FALSE} / {@code POP_JUMP_IF_TRUE} on a bool: pops it and returns its
     * truth. The bools are immortal and 3.12 emits no decref for them; other objects are
     * refused (pxlab's workloads test bools only).
     */
    public boolean popTruth() {
        boundary();
        long v = f.pop();
        if (v == types.trueObject()) return true;
        if (v == types.falseObject()) return false;
        heap.decref(v, thread);
        throw new PyException("TypeError", "pxlab branches on bools only, not " + typeName(v));
    }

    // ---------------------------------------------------------------- arithmetic

    /** {@code BINARY_OP_ADD_INT}: a new int (small results are the cached immortals), -1 each input. */
    public void binaryAddInt() {
        boundary();
        long r = f.pop(), l = f.pop();
        long v = heap.numbers().newInt(heap.numbers().intValue(l) + heap.numbers().intValue(r), thread);
        heap.decref(r, thread);
        heap.decref(l, thread);
        f.push(v);
    }

    /** {@code BINARY_OP_SUBTRACT_INT}: a new int (small results are the cached immortals), -1 each input. */
    public void binarySubtractInt() {
        intArithmetic(0);
    }

    /** {@code BINARY_OP_MULTIPLY_INT}: a new int (small results are the cached immortals), -1 each input. */
    public void binaryMultiplyInt() {
        intArithmetic(1);
    }

    private void intArithmetic(int op) {
        boundary();
        long r = f.pop(), l = f.pop();
        long a = heap.numbers().intValue(l), b = heap.numbers().intValue(r);
        long value;
        try {
            value = op == 0 ? Math.subtractExact(a, b) : Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            heap.decref(r, thread);
            heap.decref(l, thread);
            throw new PyException("OverflowError", "pxlab's ints are 64-bit (no bignums)");
        }
        long v = heap.numbers().newInt(value, thread);
        heap.decref(r, thread);
        heap.decref(l, thread);
        f.push(v);
    }

    /** The operators of the generic {@code BINARY_OP} that pxlab applies to ints. */
    public enum BinaryOp { REMAINDER, FLOOR_DIVIDE }

    /**
     * {@code BINARY_OP} (generic, not specialised in 3.12) on two ints: {@code %} or
     * {@code //} with Python's floor semantics, the result a new int (or a cached immortal
     * small int, not increfed); then {@code DECREF_INPUTS}: -1 left, -1 right.
     */
    public void binaryOp(BinaryOp op) {
        boundary();
        long r = f.pop(), l = f.pop();
        TypeKind kl = heap.kindOf(l), kr = heap.kindOf(r);
        String error = (kl != TypeKind.INT && kl != TypeKind.BOOL) || (kr != TypeKind.INT && kr != TypeKind.BOOL)
                ? "TypeError" : heap.numbers().intValue(r) == 0 ? "ZeroDivisionError" : null;
        if (error != null) {
            heap.decref(l, thread);
            heap.decref(r, thread);
            throw new PyException(error, error.equals("TypeError") ? "pxlab's BINARY_OP takes ints" : "integer division or modulo by zero");
        }
        long a = heap.numbers().intValue(l), b = heap.numbers().intValue(r);
        long v = heap.numbers().newInt(op == BinaryOp.REMAINDER ? Math.floorMod(a, b) : Math.floorDiv(a, b), thread);
        heap.decref(l, thread);
        heap.decref(r, thread);
        f.push(v);
    }

    /** The comparisons of {@code COMPARE_OP}. */
    public enum Compare { LT, LE, EQ, NE, GT, GE }

    /** {@code COMPARE_OP_INT}: the immortal bool result, not increfed; -1 each input. */
    public void compareInt(Compare op) {
        boundary();
        long r = f.pop(), l = f.pop();
        long a = heap.numbers().intValue(l), b = heap.numbers().intValue(r);
        boolean v = switch (op) {
            case LT -> a < b;
            case LE -> a <= b;
            case EQ -> a == b;
            case NE -> a != b;
            case GT -> a > b;
            case GE -> a >= b;
        };
        heap.decref(r, thread);
        heap.decref(l, thread);
        f.push(heap.numbers().bool(v));
    }

    /** {@code COMPARE_OP_INT} ({@code <}). */
    public void compareLessInt() {
        compareInt(Compare.LT);
    }

    /**
     * {@code BINARY_OP_ADD_FLOAT}: 3.12's {@code DECREF_INPUTS_AND_REUSE_FLOAT} writes the sum
     * into an input whose count is 1 (the left first) instead of allocating, and releases
     * only the other input (-1); otherwise a new float, -1 each input.
     */
    public void binaryAddFloat() {
        boundary();
        long r = f.pop(), l = f.pop();
        double sum = heap.numbers().floatValue(l) + heap.numbers().floatValue(r);
        long result;
        if (heap.referenceCount(l) == 1) {
            heap.numbers().setFloat(l, sum);
            heap.decref(r, thread);
            result = l;
        } else if (heap.referenceCount(r) == 1) {
            heap.numbers().setFloat(r, sum);
            heap.decref(l, thread);
            result = r;
        } else {
            result = heap.numbers().newFloat(sum, thread);
            heap.decref(l, thread);
            heap.decref(r, thread);
        }
        f.push(result);
    }

    /** {@code BINARY_OP_ADD_UNICODE}: a new str, -1 each input. */
    public void binaryAddStr() {
        boundary();
        long r = f.pop(), l = f.pop();
        long v = heap.strings().concat(l, r, thread);
        heap.decref(r, thread);
        heap.decref(l, thread);
        f.push(v);
    }

    // ---------------------------------------------------------------- helpers

    private String typeName(long o) {
        return types.typeName(heap.typeOf(o));
    }

    private String describe(long o) {
        TypeKind k = heap.kindOf(o);
        if (k == TypeKind.STR) return "'" + heap.strings().toJava(o) + "'";
        if (k == TypeKind.INT) return Long.toString(heap.numbers().intValue(o));
        return typeName(o) + " object";
    }
}
