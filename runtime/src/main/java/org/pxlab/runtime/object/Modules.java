package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/** Modules: a name and a globals dict (which holds {@code __name__}). */
public final class Modules {
    /** Body offsets. */
    public static final int NAME = 0, DICT = 8, BODY = 16;

    private final Heap heap;

    Modules(Heap heap) {
        this.heap = heap;
    }

    /** A new, tracked module with an empty globals dict (but for {@code __name__}). New reference. */
    public long newModule(String name, ThreadContext thread) {
        long o = heap.allocate(heap.types().moduleType(), TypeKind.MODULE, BODY, thread);
        long b = o + heap.bodyOffset();
        long n = heap.strings().intern(name, thread);
        Memory.putLong(b + NAME, n);
        long d = heap.dicts().newDict(thread);
        Memory.putLong(b + DICT, d);
        heap.dicts().setItem(d, heap.strings().intern("__name__", thread), n, thread);
        heap.track(o, thread);
        return o;
    }

    /** The module's globals dict. Borrowed. */
    public long dict(long module) {
        return Memory.getLong(module + heap.bodyOffset() + DICT);
    }
}
