package org.pxlab.refcount;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ReferenceVisitor;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Sign-bit reference counts ({@code sign-bit}), as Lean 4 and Koka count: one signed 32-bit
 * {@code m_rc} whose sign says how to update it.
 *
 * <p><b>Sources.</b> Lean 4's {@code src/include/lean/lean.h} ({@code lean_inc_ref},
 * {@code lean_dec_ref}, {@code lean_is_st}, {@code lean_is_mt}) and {@code src/runtime/object.cpp}
 * ({@code lean_inc_ref_cold}, {@code lean_dec_ref_cold}, {@code lean_mark_mt},
 * {@code lean_mark_persistent}); Koka's {@code kklib/include/kklib.h} ({@code kk_block_refcount},
 * negative counts for thread-shared blocks, {@code kk_block_mark_shared}). Written from their
 * description, not copied.
 *
 * <p><b>Modes.</b>
 * <ul>
 * <li>{@code m_rc > 0}: the object is single-threaded ("ST"): only the thread that made it can
 *     reach it, so increments and decrements are plain stores ({@code o->m_rc++}). A decrement
 *     that finds 1 frees it with no atomic at all.</li>
 * <li>{@code m_rc < 0}: the object is shared ("MT"): {@code -m_rc} references, updated by atomic
 *     read-modify-writes. An increment subtracts 1 ({@code lean_inc_ref_cold}:
 *     {@code atomic_fetch_sub}); a decrement adds 1 ({@code lean_dec_ref_cold}:
 *     {@code atomic_fetch_add}) and frees when it found -1.</li>
 * <li>{@code m_rc == 0}: persistent (Lean's {@code lean_mark_persistent}): never counted,
 *     never freed, which is what pxlab calls immortal.</li>
 * </ul>
 * The fast path tests the sign with the same load that reads the count: one compare, no
 * owner field (the thing biased counting needs {@code ob_tid} and a thread-id load for).
 *
 * <p><b>Becoming shared</b> ({@link #markShared}, {@code lean_mark_mt}): before an object can be
 * reached by a second thread, which happens when it is stored into a shared container or handed
 * to another thread (Lean marks a task's closure at {@code Task.spawn} and a value written to a
 * shared {@code IO.Ref}), its whole reachable graph is walked once with an explicit stack and
 * every single-threaded count is negated. An object already shared (or persistent) is neither
 * negated again nor walked through, which is what makes the walk end on cycles and visit each
 * object once. Marking is one-way: a shared object never becomes single-threaded again.
 *
 * <p><b>Thread safety.</b> The atomic path is safe between threads, the plain path is not: the
 * scheme is only as safe as the places that mark. pxlab's runtime does not yet call
 * {@link #markShared} at its sharing points (container stores, hand-offs to workers), so this
 * strategy reports {@link #isThreadSafe()} {@code false} and the registry treats it as it treats
 * {@code plain}: a configuration that shares its objects between threads without a GIL must say
 * {@code unsafe: true}. Components and benchmarks that mark their shared objects themselves use
 * it safely.
 *
 * <p><b>Try-incref.</b> A count that reads 0 means persistent in Lean, and also what a shared
 * object's last decrement leaves; Lean has no lock-free readers that need to tell them apart.
 * {@link #tryIncref} succeeds at 0 as on an immortal and so cannot refuse a dead object: the
 * count sits at offset 0, where allocators link free blocks, and optimistic reads are refused
 * over it anyway ({@link RefCountStrategy#readAfterFree}).
 *
 * <p>Hot paths allocate nothing; {@link #markShared} grows its per-thread stack on rare occasions.
 */
public final class SignBitRefCount implements RefCountStrategy {
    /** What {@link #referenceCount} reports for a persistent (immortal) object. */
    public static final long PERSISTENT_REFCNT = 1L << 31;

    private static final HeaderField M_RC = new HeaderField("m_rc", 4, Ranks.REFCOUNT, "sign-bit");

    private int rc = -1;
    /** Per thread id: the marking walk's stack and visitor (each thread uses only its own). */
    private final Marker[] markers = new Marker[ThreadContext.MAX_THREADS];

    @Override
    public List<HeaderField> headerFields() {
        return List.of(M_RC);
    }

    @Override
    public void bind(StructLayout header) {
        rc = header.offsetOf("m_rc");
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
        // lean_alloc_object: m_rc = 1, single-threaded.
        Memory.putInt(object + rc, 1);
    }

    /** {@code lean_inc_ref}. */
    @Override
    public void incref(long object, ThreadContext thread) {
        long at = object + rc;
        int v = Memory.getIntOpaque(at);
        if (v > 0) {
            Memory.putIntOpaque(at, v + 1); // lean_is_st: a plain store
        } else if (v != 0) {
            Memory.getAndAddInt(at, -1);    // lean_inc_ref_cold: shared counts grow downwards
        }
    }

    /** {@code lean_dec_ref}: true when this removed the last reference. */
    @Override
    public boolean decref(long object, ThreadContext thread) {
        long at = object + rc;
        int v = Memory.getIntOpaque(at);
        if (v > 1) {
            Memory.putIntOpaque(at, v - 1);
            return false;
        }
        if (v == 0) return false;  // persistent
        if (v == 1) return true;   // the single thread's last reference: freed with no atomic
        return Memory.getAndAddInt(at, 1) == -1; // lean_dec_ref_cold: shared
    }

    /**
     * A reference from a lock-free read: plain for a single-threaded object, a CAS that never
     * moves a shared count off zero for a shared one; true at 0 (see the class comment).
     */
    @Override
    public boolean tryIncref(long object, ThreadContext thread) {
        long at = object + rc;
        int v = Memory.getIntOpaque(at);
        if (v > 0) {
            Memory.putIntOpaque(at, v + 1);
            return true;
        }
        while (v < 0) {
            if (Memory.compareAndSetInt(at, v, v - 1)) return true;
            v = Memory.getIntVolatile(at);
        }
        return true;
    }

    @Override
    public long referenceCount(long object) {
        int v = Memory.getIntVolatile(object + rc);
        return v == 0 ? PERSISTENT_REFCNT : Math.abs((long) v);
    }

    /** {@code lean_mark_persistent}. */
    @Override
    public void makeImmortal(long object) {
        Memory.putIntRelease(object + rc, 0);
    }

    @Override
    public boolean isImmortal(long object) {
        return Memory.getIntOpaque(object + rc) == 0;
    }

    /** False: see the class comment (safe only where the runtime marks; it does not yet). */
    @Override
    public boolean isThreadSafe() {
        return false;
    }

    /** {@code lean_is_mt}: whether the object's count is shared (negative). */
    public boolean isShared(long object) {
        return Memory.getIntVolatile(object + rc) < 0;
    }

    /** The raw {@code m_rc}, signed. */
    public int rawCount(long object) {
        return Memory.getIntVolatile(object + rc);
    }

    /**
     * {@code lean_mark_mt}: makes {@code root} and everything it reaches through
     * {@link Heap#traverse} shared, negating each single-threaded count once. Objects already
     * shared or persistent stop the walk. Runs on the thread that owns the single-threaded
     * objects (the only one that can reach them), before it publishes {@code root}; the
     * negation is a release store, so a thread that then reads the published reference sees
     * the object shared.
     *
     * @return how many objects this call turned shared
     */
    public long markShared(long root, Heap heap, ThreadContext thread) {
        Marker m = markers[thread.id()];
        if (m == null) m = markers[thread.id()] = new Marker(this);
        return m.mark(root, heap);
    }

    /**
     * Makes one object shared without walking it: the step {@link #markShared} takes for each
     * object it reaches, for an object that references nothing (a benchmark's bare header).
     *
     * @return whether it was single-threaded
     */
    public boolean markLeafShared(long object) {
        return negate(object);
    }

    /** Negates a single-threaded count; false if the object was not single-threaded. */
    private boolean negate(long object) {
        long at = object + rc;
        int v = Memory.getIntOpaque(at);
        if (v <= 0) return false;
        Memory.putIntRelease(at, -v);
        return true;
    }

    /** One thread's marking walk: an explicit stack, as {@code lean_mark_mt}'s {@code todo} buffer. */
    private static final class Marker implements ReferenceVisitor {
        private final SignBitRefCount counts;
        private long[] todo = new long[64];
        private int top;

        Marker(SignBitRefCount counts) {
            this.counts = counts;
        }

        long mark(long root, Heap heap) {
            long marked = 0;
            top = 0;
            visit(root);
            while (top > 0) {
                long o = todo[--top];
                // Negate before pushing the children: a cycle back to o finds it shared and stops.
                if (counts.negate(o)) {
                    marked++;
                    heap.traverse(o, this);
                }
            }
            return marked;
        }

        /** Pushes a single-threaded referent; shared and persistent ones are not walked. */
        @Override
        public void visit(long referent) {
            if (Memory.getIntOpaque(referent + counts.rc) <= 0) return;
            if (top == todo.length) todo = java.util.Arrays.copyOf(todo, 2 * top);
            todo[top++] = referent;
        }
    }
}
