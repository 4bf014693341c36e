package org.pxlab.runtime.exec;

import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.AttributeAccess;
import org.pxlab.runtime.object.Heap;
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
 * reference-discipline table in the README lists them, and {@code DisciplineScenarios} (with its three test classes)
 * checks every operation against it. That is what makes the study valid: contention lives
 * in the counts of shared objects (types, functions, code, globals, attribute values) that
 * every request touches.
 *
 * <p>Every operation first does the configured interpreter work. Pending work (a GIL drop
 * request, a scheduled collection) runs only where CPython 3.12 checks its eval breaker: on
 * entry to a function, after a call into C, and at {@link #jumpBackward()}, which loop bodies
 * issue where the Python loop jumps back.
 *
 * <p><b>Deferred references.</b> Where the configuration defers kinds (CPython 3.14t), stack
 * references follow 3.14t's {@code _PyStackRef} discipline on top of that table: a reference
 * pushed from a borrowed source ({@code LOAD_CONST}, {@code LOAD_GLOBAL}, the function of
 * {@code LOAD_ATTR_METHOD_*}, {@code f_executable}, {@code _PyEval_Vector}'s arguments) is
 * tagged and uncounted when the object is deferred or immortal ({@code PyStackRef_FromPyObjectNew}),
 * {@code LOAD_FAST} duplicates a tagged local without counting ({@code PyStackRef_DUP}), and the
 * closes of {@code POP_TOP}, {@code STORE_FAST}, attribute and subscript owners, the
 * specialised int and str operators, calls and frame exits skip tagged references
 * ({@code PyStackRef_CLOSE}); a store into a container of a tagged value counts it then
 * ({@code PyStackRef_AsPyObjectSteal}). See {@link FrameStack}. Without deferral nothing is
 * tagged and every operation emits 3.12's traffic.
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
    private final Definitions definitions;
    private final CallingConvention calls;
    private final QuiescentStates quiescentStates;
    private final boolean reportsQuiescence;

    Mutator(PxRuntime runtime, ThreadContext thread) {
        this.runtime = runtime;
        this.heap = runtime.heap();
        this.thread = thread;
        this.f = new FrameStack(runtime.dataStack(thread), heap, thread);
        runtime.registerFrames(thread, f);
        this.work = runtime.interpreterWork();
        this.types = heap.types();
        this.definitions = new Definitions(runtime, thread);
        this.calls = new CallingConvention(this, runtime, thread, f);
        this.quiescentStates = runtime.quiescentStates();
        this.reportsQuiescence = quiescentStates.active();
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
     * atomic under the GIL in practice. Every reference the thread holds is in its frames here,
     * so it is also a quiescent point for allocators that reclaim by QSBR (3.13t's
     * {@code QSBR_QUIESCENT_STATE}, before the breaker test).
     */
    void checkEvalBreaker() {
        if (reportsQuiescence) quiescentStates.quiescent(thread);
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
        f.closeFrame();
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
        return FrameStack.obj(f.s[f.fp + FrameStack.LOCALS + i]);
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
        long v = f.s[f.fp + FrameStack.LOCALS + i];
        if (v == 0) throw new PyException("UnboundLocalError", "local " + i + " referenced before assignment");
        f.push(f.dup(v));
    }

    /** {@code STORE_FAST i}: the value moves into the local; -1 old value. */
    public void storeFast(int i) {
        boundary();
        long v = f.popRef();
        int at = f.fp + FrameStack.LOCALS + i;
        long old = f.s[at];
        f.s[at] = v;
        f.close(old);
    }

    /** Constant {@code i} of the current function, borrowed (no operation, no traffic). */
    public long peekConst(int i) {
        return Memory.getLong(f.s[f.fp + FrameStack.CONSTS] + heap.bodyOffset() + Tuples.ITEMS + 8L * i);
    }

    /** {@code LOAD_CONST i}: +1 constant (a no-op write for immortal constants, but the call is made). */
    public void loadConst(int i) {
        boundary();
        f.pushNew(peekConst(i));
    }

    /** {@code POP_TOP}: -1. */
    public void popTop() {
        boundary();
        f.close(f.popRef());
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
        if (heap.defersStackReferences()) {
            // 3.14t's _Py_TryIncrefCompareStackRef: a deferred value is pushed tagged, uncounted
            // (only a stop-the-world collection frees one, and this thread is attached).
            long b = heap.dicts().getItem(f.s[f.fp + FrameStack.GLOBALS], name);
            if (b == 0) b = heap.dicts().getItem(f.s[f.fp + FrameStack.BUILTINS], name);
            if (b != 0 && heap.stackUncounted(b)) {
                if (pushNull) f.push(0);
                f.push(b | FrameStack.TAG);
                return;
            }
        }
        long v = heap.dicts().getItemRef(f.s[f.fp + FrameStack.GLOBALS], name, thread);
        if (v == 0) v = heap.dicts().getItemRef(f.s[f.fp + FrameStack.BUILTINS], name, thread);
        if (v == 0) throw new PyException("NameError", "name '" + heap.strings().toJava(name) + "' is not defined");
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
        long v = f.popRef();
        heap.dicts().setItem(f.s[f.fp + FrameStack.GLOBALS], name, FrameStack.obj(v), thread);
        f.close(v);
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
        long owner = f.popRef();
        long v = AttributeAccess.getAttr(heap, FrameStack.obj(owner), name(i), thread);
        f.push(v);
        f.close(owner);
    }

    /**
     * {@code LOAD_ATTR co_names[i]} in method form ({@code LOAD_ATTR_METHOD_WITH_VALUES}):
     * if the class has a function or built-in method under the name and the instance does
     * not shadow it, pushes the function (+1) and moves the owner above it as {@code self};
     * otherwise pushes NULL and the attribute (+1) and releases the owner (-1).
     */
    public void loadMethod(int i) {
        boundary();
        long owner = f.popRef();
        long name = name(i);
        long method = AttributeAccess.lookupMethod(heap, FrameStack.obj(owner), name, thread);
        if (method != 0) {
            f.pushNew(method);
            f.push(owner);
        } else {
            long v = AttributeAccess.getAttr(heap, FrameStack.obj(owner), name, thread);
            f.push(0);
            f.push(v);
            f.close(owner);
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
        long owner = f.popRef();
        long v = f.pop();
        AttributeAccess.setAttrTake(heap, FrameStack.obj(owner), name(i), v, thread);
        f.close(owner);
    }

    // ---------------------------------------------------------------- subscripts

    /**
     * {@code BINARY_SUBSCR} (stack: container, index): {@code _LIST_INT} / {@code _TUPLE_INT}:
     * +1 item, -1 index, -1 container; {@code _DICT}: +1 value, -1 dict, -1 key.
     */
    public void binarySubscr() {
        boundary();
        long subRef = f.popRef();
        long containerRef = f.popRef();
        long sub = FrameStack.obj(subRef), container = FrameStack.obj(containerRef);
        long v = switch (heap.kindOf(container)) {
            case LIST -> heap.lists().getItemRef(container, intIndex(sub), thread);
            case TUPLE -> heap.newRef(heap.tuples().getItem(container, intIndex(sub)), thread);
            case DICT -> {
                long r = heap.dicts().getItemRef(container, sub, thread);
                if (r == 0) throw new PyException("KeyError", describe(sub));
                yield r;
            }
            default -> throw new PyException("TypeError", "'" + typeName(container) + "' object is not subscriptable");
        };
        f.push(v);
        if (heap.kindOf(container) == TypeKind.DICT) {
            f.close(containerRef);
            f.close(subRef);
        } else {
            f.close(subRef);
            f.close(containerRef);
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
        long subRef = f.popRef();
        long containerRef = f.popRef();
        long v = f.pop();
        long container = FrameStack.obj(containerRef);
        switch (heap.kindOf(container)) {
            case LIST -> {
                heap.lists().setItemTake(container, intIndex(FrameStack.obj(subRef)), v, thread);
                f.close(subRef);
                f.close(containerRef);
            }
            case DICT -> {
                heap.dicts().setItemTake2(container, f.steal(subRef), v, thread);
                f.close(containerRef);
            }
            case BLOB -> {
                long sub = f.steal(subRef);
                f.steal(containerRef);
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
        try {
            for (int i = n - 1; i >= 0; i--) heap.tuples().initItem(t, i, f.pop(), thread);
        } catch (org.pxlab.runtime.object.PersistenceViolation e) {
            // The refused item is released; the tuple goes with the items it already holds
            // (the rest are still on the stack, which the frame releases).
            heap.track(t, thread);
            heap.decref(t, thread);
            throw e;
        }
        heap.track(t, thread);
        f.push(t);
    }

    /** {@code BUILD_LIST n}: the list steals the n items. */
    public void buildList(int n) {
        boundary();
        long list = heap.lists().newList(n, thread);
        int base = f.sp - n;
        for (int i = 0; i < n; i++) heap.lists().initAppendTake(list, f.steal(f.s[base + i]), thread);
        f.sp = base;
        f.push(list);
    }

    /** {@code BUILD_MAP n} (stack: k1, v1, ... kn, vn): {@code _PyDict_FromItems} +1 each key and value, then -1 each input. */
    public void buildMap(int n) {
        boundary();
        long d = heap.dicts().newDict(thread);
        int base = f.sp - 2 * n;
        for (int i = 0; i < n; i++) {
            heap.dicts().initItem(d, FrameStack.obj(f.s[base + 2 * i]), FrameStack.obj(f.s[base + 2 * i + 1]), thread);
        }
        for (int i = 0; i < 2 * n; i++) f.close(f.s[base + i]);
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
        for (int i = 0; i < n; i++) heap.dicts().initItem(d, heap.tuples().getItem(keys, i), FrameStack.obj(f.s[base + i]), thread);
        for (int i = 0; i < n; i++) f.close(f.s[base + i]);
        heap.decref(keys, thread);
        f.sp = base;
        f.push(d);
    }

    // ---------------------------------------------------------------- calls

    /**
     * {@code CALL nargs} (stack: NULL-or-method, callable-or-self, args...). What it emits
     * depends on the callable, as 3.12's specialisations do: a Python function
     * ({@code CALL_PY_EXACT_ARGS}: the callable moves into {@code f_funcobj}, self and args into
     * locals, +1 code), a bound method, {@code list.append}, {@code list.sort}, {@code str(x)},
     * a built-in (arguments borrowed, -1 each, -1 callable) or a class ({@code type_call}).
     * The result replaces the consumed slots. See {@link CallingConvention} and the README's table.
     */
    public void call(int nargs) {
        boundary();
        calls.call(nargs);
    }

    /**
     * Calls a Python function from Java with no arguments (the harness calling a handler), as
     * C calls one ({@code _PyEval_Vector}: +1 function, +1 each argument, +1 code). Returns a
     * new reference. Needs an open frame (e.g. {@link #enterModule}).
     */
    public long callFunction(long func) {
        boundary();
        return calls.callFunction(func);
    }

    /** As {@link #callFunction(long)}, with one argument, borrowed for the call. */
    public long callFunction(long func, long arg) {
        boundary();
        return calls.callFunction(func, arg);
    }

    /** As {@link #callFunction(long)}, with two arguments, borrowed for the call. */
    public long callFunction(long func, long arg0, long arg1) {
        boundary();
        return calls.callFunction(func, arg0, arg1);
    }

    // ---------------------------------------------------------------- across threads

    /**
     * {@code async.call_from_main_thread[_and_wait](function, argument)}: runs the call on the
     * runtime's main thread. With {@code wait} the caller waits detached and gets the result (a
     * new reference; copied into the caller's context when it runs in one); without, it gets
     * {@code None} at once and the argument crosses first (copied into the main heap when it
     * lives in a context). Main runs the call while other threads go on reading main objects:
     * PyParallel's overlap, modelled as it was. On the main thread it is a plain call.
     */
    public long callIntoMain(long function, long argument, boolean wait) {
        boundary();
        return runtime.mainCalls().callIntoMain(this, function, argument, wait);
    }

    /**
     * The main thread hands every item of {@code items} (a list) to parallel work on
     * {@code workers} threads, each item called in its own context ({@code function(item)}), and
     * gets a new list of the results, copied into the main heap where they were made in a
     * context. Main waits detached meanwhile. Main thread only.
     */
    public long mapInParallel(long function, long items, int workers) {
        boundary();
        return runtime.mainCalls().mapInParallel(this, function, items, workers);
    }

    /** {@code async.protect(obj)}: see {@link org.pxlab.runtime.spi.SyncDiscipline#protect}. */
    public void protect(long object) {
        runtime.sync().protect(object, thread);
    }

    /**
     * {@code gc.collect(generation)} on every space's collector; returns the objects freed.
     *
     * @throws PyException {@code RuntimeError} where the configuration lets only the main
     *         thread collect (split-brain) and this thread is not main
     */
    public long gcCollect(int generation) {
        if (!runtime.sync().mayCollect(thread)) {
            throw new PyException("RuntimeError", "gc.collect() runs only on the main thread under "
                    + runtime.configuration().declaration().sync() + "; " + thread + " runs in a parallel context");
        }
        long freed = 0;
        for (int i = 0; i < heap.spaceCount(); i++) {
            // Under isolated heaps a thread collects its own heap only (each interpreter's gc.collect()).
            if (runtime.sync().mayCollect(thread, i)) freed += heap.space(i).collector().collect(generation, thread);
        }
        return freed;
    }

    /** {@code RETURN_VALUE}: the result moves to the caller; the frame's locals, function and code are released. */
    public void returnValue() {
        boundary();
        calls.returnValue();
    }

    // ---------------------------------------------------------------- iteration

    /**
     * {@code GET_ITER} over a list or a dict (its keys): the iterator holds +1 container;
     * -1 the iterable popped.
     */
    public void getIter() {
        boundary();
        long iterableRef = f.popRef();
        long iterable = FrameStack.obj(iterableRef);
        long it = switch (heap.kindOf(iterable)) {
            case LIST -> heap.lists().newIterator(iterable, thread);
            case DICT -> heap.dicts().newKeyIterator(iterable, thread);
            default -> throw new PyException("TypeError", "pxlab iterates lists and dicts, not " + typeName(iterable));
        };
        f.push(it);
        f.close(iterableRef);
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
        long ref = f.popRef();
        long v = FrameStack.obj(ref);
        if (v == types.trueObject()) return true;
        if (v == types.falseObject()) return false;
        f.close(ref);
        throw new PyException("TypeError", "pxlab branches on bools only, not " + typeName(v));
    }

    // ---------------------------------------------------------------- arithmetic

    /** {@code BINARY_OP_ADD_INT}: a new int (small results are the cached immortals), -1 each input. */
    public void binaryAddInt() {
        boundary();
        long rRef = f.popRef(), lRef = f.popRef();
        long r = FrameStack.obj(rRef), l = FrameStack.obj(lRef);
        long v = heap.numbers().newInt(heap.numbers().intValue(l) + heap.numbers().intValue(r), thread);
        f.close(rRef);
        f.close(lRef);
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
        long rRef = f.popRef(), lRef = f.popRef();
        long r = FrameStack.obj(rRef), l = FrameStack.obj(lRef);
        long a = heap.numbers().intValue(l), b = heap.numbers().intValue(r);
        long value;
        try {
            value = op == 0 ? Math.subtractExact(a, b) : Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            f.close(rRef);
            f.close(lRef);
            throw new PyException("OverflowError", "pxlab's ints are 64-bit (no bignums)");
        }
        long v = heap.numbers().newInt(value, thread);
        f.close(rRef);
        f.close(lRef);
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
        long rRef = f.popRef(), lRef = f.popRef();
        long r = FrameStack.obj(rRef), l = FrameStack.obj(lRef);
        TypeKind kl = heap.kindOf(l), kr = heap.kindOf(r);
        String error = (kl != TypeKind.INT && kl != TypeKind.BOOL) || (kr != TypeKind.INT && kr != TypeKind.BOOL)
                ? "TypeError" : heap.numbers().intValue(r) == 0 ? "ZeroDivisionError" : null;
        if (error != null) {
            f.close(lRef);
            f.close(rRef);
            throw new PyException(error, error.equals("TypeError") ? "pxlab's BINARY_OP takes ints" : "integer division or modulo by zero");
        }
        long a = heap.numbers().intValue(l), b = heap.numbers().intValue(r);
        long v = heap.numbers().newInt(op == BinaryOp.REMAINDER ? Math.floorMod(a, b) : Math.floorDiv(a, b), thread);
        f.close(lRef);
        f.close(rRef);
        f.push(v);
    }

    /** The comparisons of {@code COMPARE_OP}. */
    public enum Compare { LT, LE, EQ, NE, GT, GE }

    /** {@code COMPARE_OP_INT}: the immortal bool result, not increfed; -1 each input. */
    public void compareInt(Compare op) {
        boundary();
        long rRef = f.popRef(), lRef = f.popRef();
        long a = heap.numbers().intValue(FrameStack.obj(lRef)), b = heap.numbers().intValue(FrameStack.obj(rRef));
        boolean v = switch (op) {
            case LT -> a < b;
            case LE -> a <= b;
            case EQ -> a == b;
            case NE -> a != b;
            case GT -> a > b;
            case GE -> a >= b;
        };
        f.close(rRef);
        f.close(lRef);
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
        long rRef = f.popRef(), lRef = f.popRef();
        long v = heap.strings().concat(FrameStack.obj(lRef), FrameStack.obj(rRef), thread);
        f.close(rRef);
        f.close(lRef);
        f.push(v);
    }

    // ---------------------------------------------------------------- helpers

    String typeName(long o) {
        return types.typeName(heap.typeOf(o));
    }

    private String describe(long o) {
        TypeKind k = heap.kindOf(o);
        if (k == TypeKind.STR) return "'" + heap.strings().toJava(o) + "'";
        if (k == TypeKind.INT) return Long.toString(heap.numbers().intValue(o));
        return typeName(o) + " object";
    }
}
