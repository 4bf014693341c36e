package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * The built-in functions and methods pxlab's workloads call, implemented natively as
 * CPython implements them in C: arguments borrowed, a new reference returned.
 */
final class BuiltinMethods {
    private BuiltinMethods() {}

    static void install(TypeObjects types, Heap heap, ThreadContext thread) {
        types.addBuiltinFunction("len", (h, t, self, args, base, n) -> {
            expectArgs("len", n, 1);
            long o = args[base];
            long len = switch (h.kindOf(o)) {
                case STR, BYTES -> h.strings().length(o);
                case LIST -> h.lists().size(o);
                case TUPLE -> h.tuples().size(o);
                case DICT -> h.dicts().size(o);
                case BLOB -> h.blobs().size(o);
                default -> throw new PyException("TypeError", "object of type '" + h.types().typeName(h.typeOf(o)) + "' has no len()");
            };
            return h.numbers().newInt(len, t);
        }, thread);
        // dict.get(key, default=None): a lookup, then a new reference to the result (dict_get_impl:
        // Py_NewRef of the value, read as the configuration reads, or of the default).
        types.addMethod(types.dictType(), "get", (h, t, self, args, base, n) -> {
            if (n < 1 || n > 2) throw new PyException("TypeError", "get expected 1 or 2 arguments, got " + n);
            long v = h.dicts().getItemRef(self, args[base], t);
            return v != 0 ? v : h.newRef(n == 2 ? args[base + 1] : h.types().none(), t);
        }, thread);
        types.addMethod(types.listType(), "append", (h, t, self, args, base, n) -> {
            expectArgs("append", n, 1);
            h.lists().append(self, args[base], t);
            return h.types().none();
        }, thread);
        // list.copy(): METH_NOARGS; list_slice takes a new reference to each item.
        types.addMethod(types.listType(), "copy", (h, t, self, args, base, n) -> {
            expectArgs("copy", n, 0);
            return h.lists().copy(self, t);
        }, thread);
        // list.pop(index=-1): METH_FASTCALL; the item's reference moves to the caller.
        types.addMethod(types.listType(), "pop", (h, t, self, args, base, n) -> {
            if (n > 1) throw new PyException("TypeError", "pop expected at most 1 argument, got " + n);
            long index = -1;
            if (n == 1) {
                TypeKind k = h.kindOf(args[base]);
                if (k != TypeKind.INT && k != TypeKind.BOOL) throw new PyException("TypeError", "pop index must be an int");
                index = h.numbers().intValue(args[base]);
            }
            return h.lists().pop(self, index, t);
        }, thread);
        // list.sort(key=None): the mutator runs it (it calls the key function); see Mutator.call.
        types.addMethod(types.listType(), "sort", (h, t, self, args, base, n) -> {
            throw new PyException("TypeError", "pxlab runs list.sort only as a call of the method (lst.sort(...)), not bound");
        }, thread);
        // str: the type itself is a built-in name (CALL_NO_KW_STR_1 calls it).
        heap.dicts().setItem(types.builtinsDict(), heap.strings().intern("str", thread), types.strType(), thread);
        types.addMethod(types.strType(), "join", (h, t, self, args, base, n) -> {
            expectArgs("join", n, 1);
            return h.strings().join(self, args[base], t);
        }, thread);
        types.addMethod(types.bytesType(), "join", (h, t, self, args, base, n) -> {
            expectArgs("join", n, 1);
            return h.strings().join(self, args[base], t);
        }, thread);
        types.addMethod(types.strType(), "encode", (h, t, self, args, base, n) -> {
            expectArgs("encode", n, 0);
            return h.strings().encode(self, t);
        }, thread);
        types.addMethod(types.strType(), "startswith", (h, t, self, args, base, n) -> {
            expectArgs("startswith", n, 1);
            return h.numbers().bool(h.strings().startsWith(self, args[base]));
        }, thread);
    }

    static void expectArgs(String name, int given, int expected) {
        if (given != expected) {
            throw new PyException("TypeError", name + "() takes exactly " + expected + " argument(s) (" + given + " given)");
        }
    }
}
