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
 * (depth limit). Not a hot path, but it allocates no Java object. {@link #copyData} copies one
 * data object with its items copied by the caller's rule, for copies that keep sharing and
 * cycles (isolated heaps copy a whole module graph that way).
 */
public final class CrossHeapCopy {
    /** Deepest nesting copied; deeper (or cyclic) values are refused. */
    public static final int MAX_DEPTH = 256;

    private final Heap heap;
    /** Per thread id, the item copier of the tree copy, reused so that a copy allocates no Java object. */
    private final TreeItems[] treeItems = new TreeItems[ThreadContext.MAX_THREADS];

    /** Copies a container's items one level deeper. */
    private final class TreeItems implements Items {
        ThreadContext thread;
        int depth;

        @Override
        public long copy(long item) {
            return CrossHeapCopy.this.copy(item, thread, depth);
        }
    }

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
        TypeKind kind = heap.kindOf(value);
        return switch (kind) {
            case INT, FLOAT, STR, BYTES, BLOB -> copyData(value, kind, thread, null);
            case TUPLE, LIST, DICT -> {
                TreeItems items = treeItems[thread.id()];
                if (items == null) items = treeItems[thread.id()] = new TreeItems();
                ThreadContext outerThread = items.thread;
                int outerDepth = items.depth;
                items.thread = thread;
                items.depth = depth + 1;
                try {
                    yield copyData(value, kind, thread, items);
                } finally {
                    items.thread = outerThread;
                    items.depth = outerDepth;
                }
            }
            case NONE, BOOL, FUNCTION, CODE, TYPE, MODULE, BUILTIN, BOUND_METHOD, MEMBER_DESCRIPTOR -> heap.newRef(value, thread);
            case INSTANCE, LIST_ITERATOR, DICT_KEY_ITERATOR -> throw notCopyable(value);
        };
    }

    /** The {@code TypeError} of a value that cannot cross heaps (an iterator, or an instance where definitions are shared). */
    public PyException notCopyable(long value) {
        return new PyException("TypeError", "cannot copy a '" + heap.types().typeName(heap.typeOf(value)) + "' object across heaps; pass its data"
                + " as ints, floats, strings, bytes, tuples, lists or dicts");
    }

    /**
     * How a copy of a container copies its items: the tree copy above recurses; a graph copy
     * (isolated heaps) looks each item up in its memo first.
     */
    public interface Items {
        /** A copy of one item in the thread's current space. New reference. */
        long copy(long item);

        /** The container's copy exists and is about to be filled: a graph copy records it, so a cycle back to it ends there. */
        default void made(long original, long copy) {
        }
    }

    /**
     * A copy of one data object ({@code int}, {@code float}, {@code str}, {@code bytes}, blob,
     * {@code tuple}, {@code list}, {@code dict}) in the thread's current space, its items
     * copied by {@code items}. New reference.
     *
     * @throws IllegalArgumentException for another kind
     */
    public long copyData(long value, TypeKind kind, ThreadContext thread, Items items) {
        long body = value + heap.bodyOffset();
        return switch (kind) {
            case INT -> heap.numbers().newInt(heap.numbers().intValue(value), thread);
            case FLOAT -> heap.numbers().newFloat(Memory.getDouble(body + Numbers.VALUE), thread);
            case STR, BYTES -> heap.strings().newFromBytes(heap.typeOf(value), kind, body + Strings.DATA,
                    Memory.getLong(body + Strings.LENGTH), thread);
            case BLOB -> {
                if (heap.blobs().offHeap(value)) yield heap.blobs().shareHandle(value, thread); // Erlang: a new ProcBin, refc + 1
                long n = heap.blobs().size(value);
                long b = heap.blobs().newBlob(n, thread);
                Memory.copy(heap.blobs().data(value), heap.blobs().data(b), n);
                yield b;
            }
            case TUPLE -> {
                long n = heap.tuples().size(value);
                long t = heap.tuples().allocate(n, thread);
                items.made(value, t); // its slots are empty (0) until filled
                for (long i = 0; i < n; i++) heap.tuples().initItem(t, i, items.copy(heap.tuples().getItem(value, i)), thread);
                heap.track(t, thread);
                yield t;
            }
            case LIST -> {
                long n = heap.lists().size(value);
                long l = heap.lists().newList(n, thread);
                items.made(value, l);
                for (long i = 0; i < n; i++) heap.lists().appendTake(l, items.copy(heap.lists().getItem(value, i)), thread);
                yield l;
            }
            case DICT -> {
                long d = heap.dicts().newDict(thread);
                items.made(value, d);
                long slots = heap.dicts().entrySlots(value);
                for (long i = 0; i < slots; i++) {
                    long k = heap.dicts().entryKey(value, i);
                    if (k == 0) continue;
                    long kc = items.copy(k);
                    long vc = items.copy(heap.dicts().entryValue(value, i));
                    heap.dicts().setItemTake2(d, kc, vc, thread);
                }
                yield d;
            }
            default -> throw new IllegalArgumentException("not a data kind: " + kind);
        };
    }
}
