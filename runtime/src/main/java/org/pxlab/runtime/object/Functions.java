package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * Code objects, functions, bound methods and built-in functions.
 *
 * <p>A code object names its body by id (the runtime keeps the Java implementation of each
 * body in a table) and holds what the body's operations refer to by index: its constants
 * ({@code co_consts}) and names ({@code co_names}), both tuples. A function pairs a code
 * object with the globals it runs in. A built-in holds the id of a {@link NativeFunction}
 * and, when bound, its {@code self}.
 */
public final class Functions {
    /** Function body offsets. */
    public static final int FUNC_CODE = 0, FUNC_GLOBALS = 8, FUNC_BUILTINS = 16, FUNC_NAME = 24, FUNC_DEFAULTS = 32,
            FUNCTION_BODY = 40;
    /** Code body offsets; {@code CODE_UNIQUE_ID} is 3.14t's {@code _co_unique_id} (0 for none), as {@link TypeObjects#UNIQUE_ID}. */
    public static final int CODE_BODY_ID = 0, CODE_ARGCOUNT = 8, CODE_NLOCALS = 12, CODE_NAME = 16, CODE_CONSTS = 24,
            CODE_NAMES = 32, CODE_STACKSIZE = 40, CODE_UNIQUE_ID = 48, CODE_BODY = 56;
    /** Bound method body offsets. */
    public static final int METHOD_FUNC = 0, METHOD_SELF = 8, METHOD_BODY = 16;
    /** Built-in body offsets. */
    public static final int BUILTIN_ID = 0, BUILTIN_NAME = 8, BUILTIN_SELF = 16, BUILTIN_BODY = 24;

    private final Heap heap;

    Functions(Heap heap) {
        this.heap = heap;
    }

    /**
     * A code object. Steals {@code consts} and {@code names} (tuples); increfs {@code name}.
     * New reference.
     */
    public long newCode(int bodyId, long name, int argcount, int nlocals, int stacksize, long consts, long names,
                        ThreadContext thread) {
        if (nlocals < argcount) throw new IllegalArgumentException("nlocals " + nlocals + " < argcount " + argcount);
        long o = heap.allocate(heap.types().codeType(), TypeKind.CODE, CODE_BODY, thread);
        long b = o + heap.bodyOffset();
        Memory.putLong(b + CODE_BODY_ID, bodyId);
        Memory.putInt(b + CODE_ARGCOUNT, argcount);
        Memory.putInt(b + CODE_NLOCALS, nlocals);
        Memory.putLong(b + CODE_NAME, heap.newRef(name, thread));
        Memory.putLong(b + CODE_CONSTS, consts);
        Memory.putLong(b + CODE_NAMES, names);
        Memory.putLong(b + CODE_STACKSIZE, stacksize);
        return o;
    }

    /** A function over {@code code} running in {@code globals} ({@code PyFunction_New}: increfs both). New reference. */
    public long newFunction(long code, long globals, ThreadContext thread) {
        long o = heap.allocate(heap.types().functionType(), TypeKind.FUNCTION, FUNCTION_BODY, thread);
        long b = o + heap.bodyOffset();
        heap.refcounts().increfCode(code, thread); // _Py_INCREF_CODE
        Memory.putLong(b + FUNC_CODE, code);
        Memory.putLong(b + FUNC_GLOBALS, heap.newRef(globals, thread));
        Memory.putLong(b + FUNC_BUILTINS, heap.newRef(heap.types().builtinsDict(), thread));
        Memory.putLong(b + FUNC_NAME, heap.newRef(codeName(code), thread));
        Memory.putLong(b + FUNC_DEFAULTS, 0L);
        heap.track(o, thread);
        return o;
    }

    /** A method object binding {@code func} to {@code self} (increfs both). New reference. */
    public long newBoundMethod(long func, long self, ThreadContext thread) {
        long o = heap.allocate(heap.types().methodType(), TypeKind.BOUND_METHOD, METHOD_BODY, thread);
        long b = o + heap.bodyOffset();
        Memory.putLong(b + METHOD_FUNC, heap.newRef(func, thread));
        Memory.putLong(b + METHOD_SELF, heap.newRef(self, thread));
        heap.track(o, thread);
        return o;
    }

    /** A built-in function or method descriptor ({@code self} 0), or a built-in bound to {@code self} (increfed). New reference. */
    public long newBuiltin(int nativeId, long name, long self, ThreadContext thread) {
        long o = heap.allocate(heap.types().builtinType(), TypeKind.BUILTIN, BUILTIN_BODY, thread);
        long b = o + heap.bodyOffset();
        Memory.putLong(b + BUILTIN_ID, nativeId);
        Memory.putLong(b + BUILTIN_NAME, heap.newRef(name, thread));
        Memory.putLong(b + BUILTIN_SELF, self == 0 ? 0L : heap.newRef(self, thread));
        heap.track(o, thread);
        return o;
    }

    private long field(long o, int offset) {
        return Memory.getLong(o + heap.bodyOffset() + offset);
    }

    public long functionCode(long f) { return field(f, FUNC_CODE); }
    public long functionGlobals(long f) { return field(f, FUNC_GLOBALS); }
    public long functionBuiltins(long f) { return field(f, FUNC_BUILTINS); }
    public int codeBodyId(long code) { return (int) field(code, CODE_BODY_ID); }
    public int codeArgcount(long code) { return Memory.getInt(code + heap.bodyOffset() + CODE_ARGCOUNT); }
    public int codeNlocals(long code) { return Memory.getInt(code + heap.bodyOffset() + CODE_NLOCALS); }
    public long codeName(long code) { return field(code, CODE_NAME); }
    public long codeConsts(long code) { return field(code, CODE_CONSTS); }
    public long codeNames(long code) { return field(code, CODE_NAMES); }
    public long methodFunc(long m) { return field(m, METHOD_FUNC); }
    public long methodSelf(long m) { return field(m, METHOD_SELF); }
    public int builtinId(long b) { return (int) field(b, BUILTIN_ID); }
    public long builtinSelf(long b) { return field(b, BUILTIN_SELF); }
}
