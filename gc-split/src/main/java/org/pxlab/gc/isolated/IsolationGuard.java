package org.pxlab.gc.isolated;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.StoreBarrier;
import org.pxlab.runtime.spi.StoreOperation;

/**
 * The isolation rule at every container store: a thread stores only into an object of the
 * heap it runs in now, and only a value of that heap or an immortal one (which every heap
 * shares, as PEP 684's interpreters share the immortal static objects). Anything else would
 * be a reference from one heap into another: refused with a {@link CrossHeapReference}.
 * Real interpreters have no such check (nothing hands them a foreign object); it is the
 * model's proof that its copies leave nothing behind.
 */
final class IsolationGuard implements StoreBarrier {
    private final Heap heap;

    IsolationGuard(Heap heap) {
        this.heap = heap;
    }

    @Override
    public long admitStore(long target, long value, StoreOperation operation, ThreadContext thread) {
        int here = thread.allocationSpace();
        Space targetSpace = heap.spaceOf(target);
        if (targetSpace.index() != here) {
            throw new CrossHeapReference(operation, target, value, heap.types().typeName(heap.typeOf(target)) + " of heap "
                    + targetSpace.name() + " changed from heap " + heap.space(here).name() + " (" + thread
                    + "): a heap is changed only by its own interpreter");
        }
        if (value == 0) return 0;
        Space valueSpace = heap.spaceOf(value);
        if (valueSpace.index() != here && !valueSpace.refcount().isImmortal(value)) {
            throw new CrossHeapReference(operation, target, value, "a " + heap.types().typeName(heap.typeOf(value))
                    + " of heap " + valueSpace.name() + " stored into a " + heap.types().typeName(heap.typeOf(target))
                    + " of heap " + targetSpace.name() + ": isolated heaps share only immortal objects; copy it instead");
        }
        return value;
    }

    @Override
    public String toString() {
        return "isolation guard";
    }
}
