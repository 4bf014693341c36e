package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * Copies a value into the space the calling thread allocates in now, so that it outlives the
 * memory it came from: a parallel context's result copied into the main heap (PyParallel's
 * map results, a protected store), a scalar copied into a connection's heap (copy-on-assign),
 * a main result copied into the context that asked for it ({@code callIntoMain}).
 *
 * <p>What is copied: {@code int}, {@code float}, {@code str}, {@code bytes}, blobs, and the
 * containers {@code tuple}, {@code list} and {@code dict}, recursively. What is shared, with
 * a new reference: immortal objects ({@code None}, the booleans, small ints, interned strings,
 * static types) and the objects a program defines once and never frees while it runs
 * (functions, code, types, modules, methods), which live in the main heap. Anything else (an
 * instance, an iterator) cannot cross and is refused with a {@code TypeError}, as pickling
 * refuses what it cannot rebuild.
 *
 * <p>The copy is a tree: an object reached twice is copied twice, and a cycle is refused
 * (depth limit). Not a hot path.
 */
public final class CrossHeapCopy {
    /** Deepest nesting copied; deeper (or cyclic) values are refused. */
    public static final int MAX_DEPTH = 256;

    private final Heap heap;

    CrossHeapCopy(Heap heap) {
        this.heap = heap;
    }

    /** A copy of {@code value} in the thread's current space, or a shared one. New reference. */
    public long copy(long value, ThreadContext thread) {
        return copy(value, thread, 0);
    }

    /** Whether the value is a scalar ({@code int}, {@code float}, {@code str}, {@code bytes}): what copy-on-assign copies. */
    public boolean isScalar(long value) {
        return switch (heap.kindOf(value)) {
            case INT, FLOAT, STR, BYTES -> true;
            default -> false;
        };
    }

    private long copy(long value, ThreadContext thread, int depth) {
        if (depth > MAX_DEPTH) {
            throw new PyException("RecursionError", "a value nested deeper than " + MAX_DEPTH + " levels (or a cycle) cannot be copied across heaps");
        }
        if (heap.spaceOf(value).refcount().isImmortal(value)) return value;
        long body = value + heap.bodyOffset();
        TypeKind kind = heap.kindOf(value);
        return switch (kind) {
            case INT -> heap.numbers().newInt(heap.numbers().intValue(value), thread);
            case FLOAT -> heap.numbers().newFloat(Memory.getDouble(body + Numbers.VALUE), thread);
            case STR, BYTES -> heap.strings().newFromBytes(heap.typeOf(value), kind, body + Strings.DATA,
                    Memory.getLong(body + Strings.LENGTH), thread);
            case BLOB -> {
                long n = heap.blobs().size(value);
                long b = heap.blobs().newBlob(n, thread);
                Memory.copy(heap.blobs().data(value), heap.blobs().data(b), n);
                yield b;
            }
            case TUPLE -> {
                long n = heap.tuples().size(value);
                long t = heap.tuples().allocate(n, thread);
                for (long i = 0; i < n; i++) heap.tuples().initItem(t, i, copy(heap.tuples().getItem(value, i), thread, depth + 1), thread);
                heap.track(t, thread);
                yield t;
            }
            case LIST -> {
                long n = heap.lists().size(value);
                long l = heap.lists().newList(n, thread);
                for (long i = 0; i < n; i++) heap.lists().appendTake(l, copy(heap.lists().getItem(value, i), thread, depth + 1), thread);
                yield l;
            }
            case DICT -> {
                long d = heap.dicts().newDict(thread);
                long slots = heap.dicts().entrySlots(value);
                for (long i = 0; i < slots; i++) {
                    long k = heap.dicts().entryKey(value, i);
                    if (k == 0) continue;
                    long kc = copy(k, thread, depth + 1);
                    long vc = copy(heap.dicts().entryValue(value, i), thread, depth + 1);
                    heap.dicts().setItemTake2(d, kc, vc, thread);
                }
                yield d;
            }
            case NONE, BOOL, FUNCTION, CODE, TYPE, MODULE, BUILTIN, BOUND_METHOD, MEMBER_DESCRIPTOR -> heap.newRef(value, thread);
            case INSTANCE, LIST_ITERATOR, DICT_KEY_ITERATOR -> throw new PyException("TypeError",
                    "cannot copy a '" + heap.types().typeName(heap.typeOf(value)) + "' object across heaps; pass its data"
                            + " as ints, floats, strings, bytes, tuples, lists or dicts");
        };
    }
}
