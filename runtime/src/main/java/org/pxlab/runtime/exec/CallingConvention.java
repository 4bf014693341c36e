package org.pxlab.runtime.exec;

import org.pxlab.runtime.object.CriticalSections;
import org.pxlab.runtime.object.Functions;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ListSort;
import org.pxlab.runtime.object.PyException;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;

/**
 * CPython 3.12's calling convention for one mutator: {@code CALL} and its specialisations,
 * frames pushed for Python functions and popped by {@code RETURN_VALUE}, calls into built-ins
 * and classes, and Python functions called from C ({@code _PyEval_Vector}). The
 * {@link Mutator}'s public call operations do their interpreter work and delegate here.
 */
final class CallingConvention {
    private final Mutator m;
    private final PxRuntime runtime;
    private final Heap heap;
    private final ThreadContext thread;
    private final FrameStack f;
    private final TypeObjects types;
    private final long listAppend;
    private final long listSort;

    CallingConvention(Mutator m, PxRuntime runtime, ThreadContext thread, FrameStack f) {
        this.m = m;
        this.runtime = runtime;
        this.heap = runtime.heap();
        this.thread = thread;
        this.f = f;
        this.types = heap.types();
        this.listAppend = types.lookup(types.listType(), heap.strings().intern("append", thread));
        this.listSort = types.lookup(types.listType(), heap.strings().intern("sort", thread));
    }

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
    void call(int nargs) {
        int argsAt = f.sp - nargs;
        long methodRef = f.s[argsAt - 2];
        long callableRef = f.s[argsAt - 1];
        int total = nargs;
        if (methodRef != 0) {
            callableRef = methodRef;
            argsAt--;
            total++;
        }
        long callable = FrameStack.obj(callableRef);
        switch (heap.kindOf(callable)) {
            case FUNCTION -> callFunction(callableRef, total, methodRef != 0 ? 1 : 2);
            case BOUND_METHOD -> {
                if (methodRef != 0) throw new IllegalStateException("a bound method in the method slot");
                long func = heap.functions().methodFunc(callable);
                long self = heap.functions().methodSelf(callable);
                f.s[argsAt - 2] = f.newRef(func);
                f.s[argsAt - 1] = f.newRef(self);
                f.close(callableRef);
                callFunction(f.s[argsAt - 2], nargs + 1, 1);
            }
            case BUILTIN -> callBuiltin(callableRef, methodRef != 0, argsAt, total);
            case TYPE -> {
                if (callable == types.strType()) callStr(callableRef, methodRef != 0, argsAt, total);
                else callType(callableRef, argsAt, total, argsAt - (methodRef != 0 ? 1 : 2));
            }
            default -> throw new PyException("TypeError", "'" + m.typeName(callable) + "' object is not callable");
        }
    }

    /**
     * A Python function whose {@code total} arguments are the top stack slots, with
     * {@code below} more slots under them that the call consumes: 2 (NULL, callable) or, in
     * method form, 1 (the function, with self counted among the arguments). The function's
     * reference in those slots ({@code funcRef}, possibly tagged) moves into {@code f_funcobj};
     * {@code f_code} is {@code PyStackRef_FromPyObjectNew(code)} (+1, or tagged when deferred).
     */
    private void callFunction(long funcRef, int total, int below) {
        Functions fn = heap.functions();
        long func = FrameStack.obj(funcRef);
        long code = fn.functionCode(func);
        int argc = fn.codeArgcount(code);
        if (argc != total) {
            throw new PyException("TypeError", heap.strings().toJava(fn.codeName(code)) + "() takes " + argc
                    + " positional arguments but " + total + " were given");
        }
        long codeRef = f.newRef(code);
        f.openFrame(funcRef, codeRef, fn.functionGlobals(func), fn.functionBuiltins(func), fn.codeConsts(code), fn.codeNames(code),
                fn.codeNlocals(code), total, below);
        m.checkEvalBreaker(); // RESUME
        runBody(code);
    }

    private void runBody(long code) {
        int frame = f.fp;
        runtime.body(heap.functions().codeBodyId(code)).run(m);
        if (f.fp == frame) throw new IllegalStateException("the body of " + heap.strings().toJava(heap.functions().codeName(code))
                + " did not end with returnValue()");
    }

    private void callBuiltin(long callableRef, boolean methodForm, int argsAt, int total) {
        long callable = FrameStack.obj(callableRef);
        long result;
        if (callable == listSort) {
            if (total < 1 || total > 2 || heap.kindOf(FrameStack.obj(f.s[argsAt])) != TypeKind.LIST) {
                throw new PyException("TypeError", "pxlab calls list.sort as lst.sort() or lst.sort(key)");
            }
            result = sortList(FrameStack.obj(f.s[argsAt]), total == 2 ? FrameStack.obj(f.s[argsAt + 1]) : 0);
            for (int i = 0; i < total; i++) f.close(f.s[argsAt + i]);
            f.close(callableRef);
        } else if (callable == listAppend && methodForm && total == 2) {
            long selfRef = f.s[argsAt];
            heap.lists().appendTake(FrameStack.obj(selfRef), f.steal(f.s[argsAt + 1]), thread);
            f.close(selfRef);
            f.close(callableRef);
            result = types.none();
        } else {
            // The C function borrows its arguments from the stack (PyStackRef_AsPyObjectBorrow):
            // tags come off for the call and are remembered, so that the closes skip them.
            long tagged = 0;
            for (int i = 0; i < total; i++) {
                long ref = f.s[argsAt + i];
                if (FrameStack.tagged(ref)) {
                    tagged |= 1L << i;
                    f.s[argsAt + i] = FrameStack.obj(ref);
                }
            }
            long boundSelf = heap.functions().builtinSelf(callable);
            long self = boundSelf != 0 ? boundSelf : (methodForm ? f.s[argsAt] : 0);
            int first = boundSelf == 0 && methodForm ? argsAt + 1 : argsAt;
            int n = argsAt + total - first;
            result = types.nativeFunction(heap.functions().builtinId(callable)).call(heap, thread, self, f.s, first, n);
            for (int i = 0; i < total; i++) if ((tagged & (1L << i)) == 0) heap.decref(f.s[argsAt + i], thread);
            f.close(callableRef);
        }
        f.sp = methodForm ? argsAt - 1 : argsAt - 2;
        f.push(result);
        m.checkEvalBreaker();
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
        // list_sort_impl is @critical_section: the list stays locked while the key function
        // runs (its critical section is suspended if that thread blocks).
        CriticalSections cs = heap.sections();
        cs.enter(list, thread);
        try {
            return sortListLocked(list, key);
        } finally {
            cs.exit(list, thread);
        }
    }

    private long sortListLocked(long list, long key) {
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
    private void callStr(long callableRef, boolean methodForm, int argsAt, int total) {
        if (methodForm || total != 1) throw new PyException("TypeError", "pxlab calls str with one argument");
        long argRef = f.s[argsAt];
        long arg = FrameStack.obj(argRef);
        long result = switch (heap.kindOf(arg)) {
            case INT -> heap.strings().fromLong(heap.numbers().intValue(arg), thread);
            case STR -> heap.newRef(arg, thread);
            default -> throw new PyException("TypeError", "pxlab's str() converts ints and strs, not " + m.typeName(arg));
        };
        f.close(argRef);
        f.close(callableRef);
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
    private void callType(long typeRef, int argsAt, int total, int base) {
        long type = FrameStack.obj(typeRef);
        if (!types.isHeapType(type)) throw new PyException("TypeError", "pxlab cannot call built-in type " + m.typeName(type));
        long self = heap.instances().newInstance(type, thread);
        long init = types.lookup(type, heap.strings().intern("__init__", thread));
        f.push(self); // held by the frame while __init__ runs, so a collection sees it
        if (init != 0) {
            long initRef = f.newRef(init);
            long result = invoke(init, self, argsAt, total);
            if (result != types.none()) throw new PyException("TypeError", "__init__() should return None");
            heap.decref(result, thread);
            f.close(initRef);
        } else if (total != 0) {
            throw new PyException("TypeError", m.typeName(type) + "() takes no arguments");
        }
        f.sp--;
        for (int i = 0; i < total; i++) f.close(f.s[argsAt + i]);
        f.close(typeRef);
        f.sp = base;
        f.push(self);
        m.checkEvalBreaker();
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
        long funcRef = f.newRef(func);
        f.push(0);
        f.push(funcRef);
        if (self != 0) f.pushNew(self);
        for (int i = 0; i < nargs; i++) f.pushNew(FrameStack.obj(f.s[argsAt + i]));
        callFunction(funcRef, nargs + (self != 0 ? 1 : 0), 2);
        long result = f.pop();
        return result;
    }

    /**
     * Calls a Python function from Java with no arguments (the harness calling a handler).
     * Returns a new reference. Needs an open frame (e.g. {@link #enterModule}).
     */
    long callFunction(long func) {
        return invoke(func, 0, f.sp, 0);
    }

    /** As {@link #callFunction(long)}, with one argument, borrowed for the call. */
    long callFunction(long func, long arg) {
        int argsAt = f.sp;
        f.push(arg);
        long result = invoke(func, 0, argsAt, 1);
        f.sp = argsAt;
        return result;
    }

    /** As {@link #callFunction(long)}, with two arguments, borrowed for the call. */
    long callFunction(long func, long arg0, long arg1) {
        int argsAt = f.sp;
        f.push(arg0);
        f.push(arg1);
        long result = invoke(func, 0, argsAt, 2);
        f.sp = argsAt;
        return result;
    }

    /** {@code RETURN_VALUE}: the result moves to the caller; the frame's locals, function and code are released. */
    void returnValue() {
        long v = f.pop(); // PyStackRef_MakeHeapSafe: counted if it was tagged
        f.closeFrame();
        f.push(v);
    }
}
