package org.pxlab.runtime.object;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * Type objects, the built-in types and singletons, and attribute lookup on types.
 *
 * <p>A type's body: its {@link TypeKind} and flags, name, attribute dict, single base, and
 * the number of slots its instances carry. Built-in types are created at start-up and made
 * immortal, as 3.12's static types are; user classes are heap types ({@link #HEAPTYPE}):
 * mortal, tracked, and referenced by each of their instances.
 *
 * <p>Built-in methods live in the types' dicts as built-in descriptors, so that
 * {@code d.get} is found by the same lookup as a user method.
 */
public final class TypeObjects {
    /**
     * Type body offsets. {@code UNIQUE_ID} is a heap type's {@code PyHeapTypeObject.unique_id}:
     * its per-thread refcount slot under a strategy that gives one (CPython 3.14t), 0 for none.
     */
    public static final int KIND = 0, FLAGS = 4, NAME = 8, DICT = 16, BASE = 24, NSLOTS = 32, UNIQUE_ID = 40, BODY = 48;
    /** Member descriptor body offsets. */
    public static final int MEMBER_INDEX = 0, MEMBER_NAME = 8, MEMBER_BODY = 16;
    /** Flag: a heap type (a user class), refcounted by its instances. */
    public static final int HEAPTYPE = 1;
    /** Flag: instances get an attribute dict on first store. */
    public static final int INSTANCE_DICT = 2;

    private final Heap heap;
    private final List<NativeFunction> natives = new ArrayList<>();
    private final long typeType, objectType, noneType, boolType, intType, floatType, strType, bytesType, tupleType,
            listType, dictType, functionType, codeType, moduleType, methodType, builtinType, memberType,
            listIteratorType, dictKeyIteratorType, blobType;
    private final long none, trueObject, falseObject;
    private long builtinsModule;

    TypeObjects(Heap heap, ThreadContext thread) {
        this.heap = heap;
        int bo = heap.bodyOffset();
        // 'type' is its own type: allocate it before anything can name it.
        typeType = heap.allocate(0, TypeKind.TYPE, BODY, thread);
        Memory.putLong(typeType + heap.header().offsetOf("ob_type"), typeType);
        initType(typeType, TypeKind.TYPE, 0, 0);
        immortal(typeType); // a static type, immortal in 3.12 like the others (PyType_Type)
        objectType = staticType(TypeKind.INSTANCE, 0, thread);
        noneType = staticType(TypeKind.NONE, objectType, thread);
        intType = staticType(TypeKind.INT, objectType, thread);
        boolType = staticType(TypeKind.BOOL, intType, thread);
        floatType = staticType(TypeKind.FLOAT, objectType, thread);
        strType = staticType(TypeKind.STR, objectType, thread);
        bytesType = staticType(TypeKind.BYTES, objectType, thread);
        tupleType = staticType(TypeKind.TUPLE, objectType, thread);
        listType = staticType(TypeKind.LIST, objectType, thread);
        dictType = staticType(TypeKind.DICT, objectType, thread);
        functionType = staticType(TypeKind.FUNCTION, objectType, thread);
        codeType = staticType(TypeKind.CODE, objectType, thread);
        moduleType = staticType(TypeKind.MODULE, objectType, thread);
        methodType = staticType(TypeKind.BOUND_METHOD, objectType, thread);
        builtinType = staticType(TypeKind.BUILTIN, objectType, thread);
        memberType = staticType(TypeKind.MEMBER_DESCRIPTOR, objectType, thread);
        listIteratorType = staticType(TypeKind.LIST_ITERATOR, objectType, thread);
        dictKeyIteratorType = staticType(TypeKind.DICT_KEY_ITERATOR, objectType, thread);
        blobType = staticType(TypeKind.BLOB, objectType, thread);
        Memory.putLong(typeType + bo + BASE, objectType);

        none = immortal(heap.allocate(noneType, TypeKind.NONE, 0, thread));
        trueObject = immortal(boolObject(1, thread));
        falseObject = immortal(boolObject(0, thread));
    }

    /** Second bootstrap step, once the heap can name these types: names, dicts, singletons, built-ins. */
    void populate(ThreadContext thread) {
        int bo = heap.bodyOffset();
        String[] names = {"type", "object", "NoneType", "int", "bool", "float", "str", "bytes", "tuple", "list", "dict",
                "function", "code", "module", "method", "builtin_function_or_method", "member_descriptor",
                "list_iterator", "dict_keyiterator", "blob"};
        long[] types = {typeType, objectType, noneType, intType, boolType, floatType, strType, bytesType, tupleType,
                listType, dictType, functionType, codeType, moduleType, methodType, builtinType, memberType,
                listIteratorType, dictKeyIteratorType, blobType};
        for (int i = 0; i < types.length; i++) {
            Memory.putLong(types[i] + bo + NAME, heap.strings().intern(names[i], thread));
            long d = heap.dicts().newDict(thread);
            immortal(d);
            Memory.putLong(types[i] + bo + DICT, d);
        }
        heap.numbers().bootstrap(thread);
        builtinsModule = heap.modules().newModule("builtins", thread);
        immortal(builtinsModule);
        BuiltinMethods.install(this, heap, thread);
    }

    private long staticType(TypeKind kind, long base, ThreadContext thread) {
        long t = heap.allocate(typeType, TypeKind.TYPE, BODY, thread);
        initType(t, kind, 0, base);
        return immortal(t);
    }

    private void initType(long t, TypeKind kind, int flags, long base) {
        long b = t + heap.bodyOffset();
        Memory.putInt(b + KIND, kind.ordinal());
        Memory.putInt(b + FLAGS, flags);
        Memory.putLong(b + NAME, 0L);
        Memory.putLong(b + DICT, 0L);
        Memory.putLong(b + BASE, base);
        Memory.putLong(b + NSLOTS, 0L);
    }

    private long boolObject(long value, ThreadContext thread) {
        long o = heap.allocate(boolType, TypeKind.BOOL, 8, thread);
        Memory.putLong(o + heap.bodyOffset() + Numbers.VALUE, value);
        return o;
    }

    private long immortal(long o) {
        heap.spaceOf(o).refcount().makeImmortal(o);
        return o;
    }

    // ---- user classes ----

    /**
     * A user class ({@code class Name(base): __slots__ = slotNames}). Its instances carry
     * the base's slots followed by these; each new slot gets a member descriptor in the class
     * dict. Tracked heap type. New reference.
     *
     * @param base          the base class (borrowed), or 0 for {@code object}
     * @param instanceDict  whether instances also get an attribute dict
     */
    public long newClass(String name, long base, List<String> slotNames, boolean instanceDict, ThreadContext thread) {
        if (base == 0) base = objectType;
        long t = heap.allocate(typeType, TypeKind.TYPE, BODY, thread);
        int bo = heap.bodyOffset();
        initType(t, TypeKind.INSTANCE, HEAPTYPE | (instanceDict ? INSTANCE_DICT : 0), heap.newRef(base, thread));
        long baseSlots = Memory.getLong(base + bo + NSLOTS);
        Memory.putLong(t + bo + NSLOTS, baseSlots + slotNames.size());
        Memory.putLong(t + bo + NAME, heap.newRef(heap.strings().intern(name, thread), thread));
        long d = heap.dicts().newDict(thread);
        Memory.putLong(t + bo + DICT, d);
        for (int i = 0; i < slotNames.size(); i++) {
            long slotName = heap.strings().intern(slotNames.get(i), thread);
            long member = heap.allocate(memberType, TypeKind.MEMBER_DESCRIPTOR, MEMBER_BODY, thread);
            Memory.putLong(member + bo + MEMBER_INDEX, baseSlots + i);
            Memory.putLong(member + bo + MEMBER_NAME, heap.newRef(slotName, thread));
            heap.track(member, thread);
            heap.dicts().setItemTake2(d, heap.newRef(slotName, thread), member, thread);
        }
        heap.track(t, thread);
        return t;
    }

    /** {@code _PyType_Lookup}: the attribute on the type or a base, or 0. Borrowed. */
    public long lookup(long type, long name) {
        int bo = heap.bodyOffset();
        for (long t = type; t != 0; t = Memory.getLong(t + bo + BASE)) {
            long v = heap.dicts().getItem(Memory.getLong(t + bo + DICT), name);
            if (v != 0) return v;
        }
        return 0;
    }

    /** The type's attribute dict. Borrowed. */
    public long typeDict(long type) {
        return Memory.getLong(type + heap.bodyOffset() + DICT);
    }

    /** Slot index of a member descriptor. */
    public long memberIndex(long member) {
        return Memory.getLong(member + heap.bodyOffset() + MEMBER_INDEX);
    }

    /** Whether {@code type} is a heap type. */
    public boolean isHeapType(long type) {
        return (Memory.getInt(type + heap.bodyOffset() + FLAGS) & HEAPTYPE) != 0;
    }

    /** The type's {@code __name__} (Java text; errors and reports). */
    public String typeName(long type) {
        long n = Memory.getLong(type + heap.bodyOffset() + NAME);
        return n == 0 ? "?" : heap.strings().toJava(n);
    }

    // ---- natives ----

    /** Registers a native implementation and returns its id. Set-up time only. */
    public int registerNative(NativeFunction f) {
        natives.add(f);
        return natives.size() - 1;
    }

    /** The native with this id. */
    public NativeFunction nativeFunction(int id) {
        return natives.get(id);
    }

    /**
     * Adds a built-in method to a type's dict (e.g. {@code dict.get}), made immortal like
     * the static descriptors of CPython's built-in types. Returns the descriptor (borrowed).
     */
    public long addMethod(long type, String name, NativeFunction f, ThreadContext thread) {
        long n = heap.strings().intern(name, thread);
        long descr = heap.functions().newBuiltin(registerNative(f), n, 0, thread);
        immortal(descr);
        heap.dicts().setItem(typeDict(type), n, descr, thread);
        return descr;
    }

    /** Adds a built-in function to the {@code builtins} module (e.g. {@code len}). Returns it (borrowed). */
    public long addBuiltinFunction(String name, NativeFunction f, ThreadContext thread) {
        long n = heap.strings().intern(name, thread);
        long fn = heap.functions().newBuiltin(registerNative(f), n, 0, thread);
        immortal(fn);
        heap.dicts().setItem(builtinsDict(), n, fn, thread);
        return fn;
    }

    // ---- the built-ins ----

    public long typeType() { return typeType; }
    public long objectType() { return objectType; }
    public long noneType() { return noneType; }
    public long boolType() { return boolType; }
    public long intType() { return intType; }
    public long floatType() { return floatType; }
    public long strType() { return strType; }
    public long bytesType() { return bytesType; }
    public long tupleType() { return tupleType; }
    public long listType() { return listType; }
    public long dictType() { return dictType; }
    public long functionType() { return functionType; }
    public long codeType() { return codeType; }
    public long moduleType() { return moduleType; }
    public long methodType() { return methodType; }
    public long builtinType() { return builtinType; }
    public long memberType() { return memberType; }
    public long listIteratorType() { return listIteratorType; }
    public long dictKeyIteratorType() { return dictKeyIteratorType; }
    public long blobType() { return blobType; }
    /** {@code None} (immortal). */
    public long none() { return none; }
    public long trueObject() { return trueObject; }
    public long falseObject() { return falseObject; }
    /** The {@code builtins} module. */
    public long builtinsModule() { return builtinsModule; }
    /** The {@code builtins} module's dict. */
    public long builtinsDict() { return heap.modules().dict(builtinsModule); }
}
