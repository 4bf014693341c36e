package org.pxlab.runtime.object;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * The refcount entry point of a configuration with several spaces: reads the object's
 * {@code ob_space} tag and forwards to that space's strategy. The tag read and compare is
 * part of the modelled cost, as PyParallel's {@code Py_ISPX} test is on every
 * {@code Py_INCREF}.
 */
final class SpaceTagDispatch implements RefCountStrategy {
    private final Heap heap;

    SpaceTagDispatch(Heap heap) {
        this.heap = heap;
    }

    @Override
    public List<HeaderField> headerFields() {
        return List.of();
    }

    @Override
    public void bind(StructLayout header) {
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
        heap.spaceOf(object).refcount().initialize(object, thread);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        heap.spaceOf(object).refcount().incref(object, thread);
    }

    @Override
    public boolean tryIncref(long object, ThreadContext thread) {
        return heap.spaceOf(object).refcount().tryIncref(object, thread);
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        return heap.spaceOf(object).refcount().decref(object, thread);
    }

    @Override
    public long referenceCount(long object) {
        return heap.spaceOf(object).refcount().referenceCount(object);
    }

    @Override
    public void makeImmortal(long object) {
        heap.spaceOf(object).refcount().makeImmortal(object);
    }

    @Override
    public boolean isImmortal(long object) {
        return heap.spaceOf(object).refcount().isImmortal(object);
    }

    @Override
    public boolean isThreadSafe() {
        for (int i = 0; i < heap.spaceCount(); i++) {
            if (!heap.space(i).refcount().isThreadSafe()) return false;
        }
        return true;
    }
}
