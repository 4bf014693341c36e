package org.pxlab.gc.isolated;

import java.util.HashMap;
import java.util.Map;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.CrossHeapCopy;
import org.pxlab.runtime.object.Functions;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Instances;
import org.pxlab.runtime.object.Modules;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;

/**
 * A deep copy of an object graph into the heap the calling thread allocates in, keeping its
 * shape: an object reached twice is copied once and a cycle closes on the copy, as pickle's
 * memo keeps them. This is how the main interpreter's shared state (a handler function, its
 * module's globals, classes, data) reaches an isolated worker: what a forked process holds
 * once its first writes (refcounts included) have copied the pages, and what an interpreter
 * holds once it has its own copy of a module's data.
 *
 * <p>Immortal objects are not copied: every heap shares them (static types, singletons, small
 * ints, interned strings). Data objects are copied by {@link CrossHeapCopy#copyData} with items
 * looked up here first; definitions (functions, code, classes, modules, instances, bound
 * methods, built-ins, member descriptors) are copied field by field, their references
 * replaced by copies. Iterators are refused. One instance per copy; not a hot path.
 */
final class GraphCopy implements CrossHeapCopy.Items {
    private final Heap heap;
    private final ThreadContext thread;
    private final int body;
    private final Map<Long, Long> memo = new HashMap<>();

    GraphCopy(Heap heap, ThreadContext thread) {
        this.heap = heap;
        this.thread = thread;
        this.body = heap.bodyOffset();
    }

    /** The copy of {@code value} in the thread's space (the same object if immortal). New reference. */
    @Override
    public long copy(long value) {
        Long done = memo.get(value);
        if (done != null) return heap.newRef(done, thread);
        if (heap.spaceOf(value).refcount().isImmortal(value)) return heap.newRef(value, thread);
        TypeKind kind = heap.kindOf(value);
        return switch (kind) {
            case INT, FLOAT, STR, BYTES, BLOB, TUPLE, LIST, DICT -> {
                long c = heap.copies().copyData(value, kind, thread, this);
                memo.put(value, c);
                yield c;
            }
            case FUNCTION, CODE, TYPE, MODULE, INSTANCE, BOUND_METHOD, BUILTIN, MEMBER_DESCRIPTOR -> copyDefinition(value, kind);
            case NONE, BOOL, LIST_ITERATOR, DICT_KEY_ITERATOR -> throw heap.copies().notCopyable(value);
        };
    }

    @Override
    public void made(long original, long copy) {
        memo.put(original, copy);
    }

    /** Copies the body as it is, then replaces each reference field with the copy of its referent. */
    private long copyDefinition(long value, TypeKind kind) {
        long type = copy(heap.typeOf(value));
        Long again = memo.get(value); // the type's copy may have reached this object
        if (again != null) {
            heap.decref(type, thread);
            return heap.newRef(again, thread);
        }
        long variable = kind == TypeKind.INSTANCE ? Memory.getLong(heap.typeOf(value) + body + TypeObjects.NSLOTS) : 0;
        long bytes = Heap.bodyBytes(kind, variable);
        long c = heap.allocate(type, kind, bytes, thread);
        heap.decref(type, thread); // allocate took the instance's own reference to a heap type
        Memory.copy(value + body, c + body, bytes);
        int[] fields = referenceFields(kind, variable);
        for (int f : fields) Memory.putLong(c + body + f, 0L);
        memo.put(value, c);
        for (int f : fields) {
            long r = Memory.getLong(value + body + f);
            if (r != 0) Memory.putLong(c + body + f, copy(r));
        }
        if (kind.container()) heap.track(c, thread);
        return c;
    }

    /** The body offsets of the references an object of this kind holds: the fields {@link Heap#traverse} visits. */
    private static int[] referenceFields(TypeKind kind, long slots) {
        return switch (kind) {
            case FUNCTION -> new int[] {Functions.FUNC_CODE, Functions.FUNC_GLOBALS, Functions.FUNC_BUILTINS, Functions.FUNC_NAME,
                    Functions.FUNC_DEFAULTS};
            case CODE -> new int[] {Functions.CODE_NAME, Functions.CODE_CONSTS, Functions.CODE_NAMES};
            case TYPE -> new int[] {TypeObjects.NAME, TypeObjects.DICT, TypeObjects.BASE};
            case MODULE -> new int[] {Modules.NAME, Modules.DICT};
            case BOUND_METHOD -> new int[] {Functions.METHOD_FUNC, Functions.METHOD_SELF};
            case BUILTIN -> new int[] {Functions.BUILTIN_NAME, Functions.BUILTIN_SELF};
            case MEMBER_DESCRIPTOR -> new int[] {TypeObjects.MEMBER_NAME};
            case INSTANCE -> {
                int[] f = new int[1 + (int) slots];
                f[0] = Instances.DICT;
                for (int i = 0; i < slots; i++) f[1 + i] = Instances.SLOTS + 8 * i;
                yield f;
            }
            default -> throw new IllegalArgumentException("not a definition kind: " + kind);
        };
    }
}
