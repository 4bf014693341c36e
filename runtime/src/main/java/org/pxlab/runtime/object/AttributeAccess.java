package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * Attribute lookup and store in CPython's order ({@code PyObject_GenericGetAttr}): a data
 * descriptor on the class (a slot's member descriptor) first, then the instance dict, then
 * the class attribute, binding functions into method objects.
 */
public final class AttributeAccess {
    private AttributeAccess() {}

    /** {@code getattr(owner, name)}. New reference. */
    public static long getAttr(Heap heap, long owner, long name, ThreadContext thread) {
        TypeObjects types = heap.types();
        TypeKind kind = heap.kindOf(owner);
        switch (kind) {
            case MODULE -> {
                long v = heap.dicts().getItemRef(heap.modules().dict(owner), name, thread);
                if (v == 0) throw missing(heap, owner, name);
                return v;
            }
            case TYPE -> {
                long v = types.lookup(owner, name);
                if (v == 0) throw missing(heap, owner, name);
                return heap.newRef(v, thread);
            }
            default -> { }
        }
        long type = heap.typeOf(owner);
        long descr = types.lookup(type, name);
        if (descr != 0 && heap.kindOf(descr) == TypeKind.MEMBER_DESCRIPTOR) {
            long v = heap.instances().slotRef(owner, types.memberIndex(descr), thread);
            if (v == 0) throw missing(heap, owner, name);
            return v;
        }
        if (kind == TypeKind.INSTANCE) {
            long dict = heap.instances().dict(owner);
            if (dict != 0) {
                long v = heap.dicts().getItemRef(dict, name, thread);
                if (v != 0) return v;
            }
        }
        if (descr == 0) throw missing(heap, owner, name);
        return switch (heap.kindOf(descr)) {
            case FUNCTION -> heap.functions().newBoundMethod(descr, owner, thread);
            case BUILTIN -> heap.functions().newBuiltin(heap.functions().builtinId(descr), name, owner, thread);
            default -> heap.newRef(descr, thread);
        };
    }

    /**
     * The function or built-in method that {@code owner.name(...)} would call without
     * binding a method object ({@code LOAD_ATTR} method form), or 0 when the attribute is
     * something else or the instance dict shadows it. Borrowed.
     */
    public static long lookupMethod(Heap heap, long owner, long name, ThreadContext thread) {
        TypeKind kind = heap.kindOf(owner);
        if (kind == TypeKind.MODULE || kind == TypeKind.TYPE) return 0;
        long descr = heap.types().lookup(heap.typeOf(owner), name);
        if (descr == 0) return 0;
        TypeKind dk = heap.kindOf(descr);
        if (dk != TypeKind.FUNCTION && dk != TypeKind.BUILTIN) return 0;
        if (kind == TypeKind.INSTANCE) {
            long dict = heap.instances().dict(owner);
            if (dict != 0 && heap.dicts().contains(dict, name, thread)) return 0;
        }
        return descr;
    }

    /**
     * {@code owner.name = value}, stealing {@code value}. A slot or an existing instance-dict
     * entry takes the value in place and releases the old one (the specialised stores); a
     * new name goes through {@code PyDict_SetItem} (+1 name, +1 value) and the caller's
     * reference is then released (-1 value), as the generic {@code STORE_ATTR} does.
     */
    public static void setAttrTake(Heap heap, long owner, long name, long value, ThreadContext thread) {
        TypeKind kind = heap.kindOf(owner);
        if (kind == TypeKind.INSTANCE) {
            long descr = heap.types().lookup(heap.typeOf(owner), name);
            if (descr != 0 && heap.kindOf(descr) == TypeKind.MEMBER_DESCRIPTOR) {
                heap.instances().setSlotTake(owner, heap.types().memberIndex(descr), value, thread);
                return;
            }
            long dict = heap.instances().dictForStore(owner, thread);
            if (heap.dicts().replaceValueTake(dict, name, value, thread)) return;
            heap.dicts().setItem(dict, name, value, thread);
            heap.decref(value, thread);
            return;
        }
        if (kind == TypeKind.MODULE) {
            long dict = heap.modules().dict(owner);
            if (heap.dicts().replaceValueTake(dict, name, value, thread)) return;
            heap.dicts().setItem(dict, name, value, thread);
            heap.decref(value, thread);
            return;
        }
        heap.decref(value, thread);
        throw new PyException("AttributeError", "'" + heap.types().typeName(heap.typeOf(owner))
                + "' object attribute '" + heap.strings().toJava(name) + "' is read-only");
    }

    private static PyException missing(Heap heap, long owner, long name) {
        return new PyException("AttributeError", "'" + heap.types().typeName(heap.typeOf(owner)) + "' object has no attribute '"
                + heap.strings().toJava(name) + "'");
    }
}
