package org.pxlab.runtime.exec;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.Allocator;

/**
 * Reports a runtime thread's attach, detach and quiescent points to the allocators that
 * reclaim memory by quiescent-state-based reclamation ({@link Allocator#needsQuiescentStates()}),
 * where CPython 3.13t reports them to its QSBR: {@code _Py_qsbr_attach} in
 * {@code _PyThreadState_Attach}, {@code _Py_qsbr_detach} in {@code _PyThreadState_Detach}
 * ({@code Python/pystate.c}), and {@code _Py_qsbr_quiescent_state} at every eval-breaker check
 * ({@code QSBR_QUIESCENT_STATE} in {@code Python/ceval_macros.h}, in {@code RESUME} and
 * {@code JUMP_BACKWARD}), where the thread holds no unprotected pointer into shared objects.
 *
 * <p>With no such allocator (every configuration but those on {@code thread-sharded})
 * {@link #active()} is false and the mutator skips the call altogether.
 */
final class QuiescentStates {
    private final Allocator[] allocators;

    QuiescentStates(List<Space> spaces) {
        List<Allocator> found = new ArrayList<>();
        for (Space s : spaces) {
            if (s.allocator().needsQuiescentStates() && !found.contains(s.allocator())) found.add(s.allocator());
        }
        this.allocators = found.toArray(Allocator[]::new);
    }

    /** Whether any allocator listens. */
    boolean active() {
        return allocators.length > 0;
    }

    void attach(ThreadContext thread) {
        for (Allocator a : allocators) a.attach(thread);
    }

    void detach(ThreadContext thread) {
        for (Allocator a : allocators) a.detach(thread);
    }

    void quiescent(ThreadContext thread) {
        for (Allocator a : allocators) a.quiescent(thread);
    }
}
