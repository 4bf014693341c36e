package org.pxlab.gc.split;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.PersistenceViolation;
import org.pxlab.runtime.spi.StoreBarrier;
import org.pxlab.runtime.spi.StoreOperation;

/**
 * "Don't persist parallel objects", enforced at every container store: the owner test
 * ({@code Py_ISPX} on the target and the value) PyParallel made in {@code listobject.c} and
 * {@code dictobject.c}, made complete.
 *
 * <p><b>Rules</b> (thread = parallel when it runs in a context and has not taken the main
 * role; object = parallel when it lives in a context's space):
 * <ol>
 * <li>Into a <em>protected</em> main object ({@code async.protect}): the store runs in the
 *     object's critical section, which {@link SplitBrain#lock} gives by taking, from a parallel
 *     thread, the main role (the GIL) and then the object's lock; a parallel value
 *     is copied into the main heap and the copy stored; a main value gets the reference its
 *     elided increment never gave it; the old value is released as main, in the section. The
 *     main thread takes the lock too, so its stores cannot overlap a parallel one.</li>
 * <li>Into an unprotected main object from a parallel thread: refused (complete mode). Its
 *     counts would be wrong (elided) and it would race with every other context.</li>
 * <li>A parallel value into a main object by the main role: refused (complete mode): the
 *     value dies when its context rolls back.</li>
 * <li>A request's value into its connection's state (an object of the connection heap):
 *     scalars ({@code int}, {@code float}, {@code str}, {@code bytes}) are copied into the
 *     connection heap (PyParallel's copy-on-assign); anything else is refused (complete mode).</li>
 * <li>Anything else is admitted: parallel objects may reference main ones and each other.</li>
 * </ol>
 *
 * <p><b>Faithful mode</b> reproduces PyParallel's own guard instead of rules 2-4: it refuses
 * a parallel value stored into a main list (append, insert, item assignment) and a parallel
 * thread's resize or clear of a main dict, and nothing else. A parallel value inserted into a
 * main dict that has room is admitted: after the context rolls back, the dict holds a dangling
 * reference. The stress suite uses this mode to show that hole.
 *
 * <p>A refused store throws {@link PersistenceViolation} before anything has changed.
 */
final class PersistenceGuard implements StoreBarrier {
    private final SplitBrain brain;
    private final boolean complete;

    PersistenceGuard(SplitBrain brain, boolean complete) {
        this.brain = brain;
        this.complete = complete;
    }

    @Override
    public long admitStore(long target, long value, StoreOperation operation, ThreadContext thread) {
        Heap heap = brain.heap();
        boolean parallel = brain.isParallel(thread);
        if (operation == StoreOperation.DICT_REPLACE_KEY) return droppedKey(target, value, thread);
        if (brain.isParallelObject(target)) return parallel ? intoContext(target, value, operation, thread) : value;
        int lock = brain.protection().lockOf(target);
        if (lock >= 0) return intoProtected(target, value, lock, thread);
        boolean parallelValue = value != 0 && brain.isParallelObject(value);
        if (parallel) {
            if (complete) {
                throw violation(operation, target, value, "parallel code may not change the main object " + describe(target)
                        + ", which is not protected: protect it on the main thread (async.protect) or make the change there"
                        + " (callIntoMain)");
            }
            if (faithfulRefuses(operation, parallelValue, true)) throw violation(operation, target, value, pyParallelReason(operation));
            return value;
        }
        if (parallelValue && (complete || faithfulRefuses(operation, true, false))) {
            throw violation(operation, target, value, "storing the parallel object " + describe(value) + " into the main object "
                    + describe(target) + " would persist it: it dies when its context rolls back");
        }
        return value;
    }

    /**
     * A store into a protected object, which the object model makes inside the object's critical
     * section: {@link SplitBrain#lock} has taken its lock, and from a parallel thread the main
     * role. A parallel value is copied into the main heap; a main value gets the reference the
     * parallel caller's elided increment never gave it.
     */
    private long intoProtected(long target, long value, int lock, ThreadContext thread) {
        if (!brain.protection().lock(lock).isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("a store into the protected object " + describe(target) + " by " + thread
                    + " outside its critical section: the object model must bracket container stores with the sync"
                    + " discipline's lock");
        }
        if (value == 0) return 0;
        if (brain.isParallelObject(value)) return brain.heap().copies().copy(value, thread);
        if (brain.inSectionFromParallel(thread)) brain.heap().incref(value, thread);
        return value;
    }

    /**
     * The key of a protected dict store that found its key present: the dict drops the reference
     * passed with it, as main (the section runs in the main role). A main key loaded by parallel
     * code came with an elided, uncounted reference, so it gets the increment that reference never
     * had, and the drop balances it; a parallel key is not counted from the main role at all.
     * Outside a protected section nothing is stored and nothing needs adjusting.
     */
    private long droppedKey(long target, long key, ThreadContext thread) {
        if (key != 0 && brain.inSectionFromParallel(thread) && !brain.isParallelObject(target)
                && brain.protection().lockOf(target) >= 0 && !brain.isParallelObject(key)) {
            brain.heap().incref(key, thread);
        }
        return key;
    }

    private long intoContext(long target, long value, StoreOperation operation, ThreadContext thread) {
        if (value == 0 || !brain.isParallelObject(value)) return value;
        ParallelContext ctx = brain.contextOf(thread);
        if (ctx == null || !ctx.inRequest() || !ctx.connection.owns(target) || !ctx.request.owns(value)) return value;
        if (brain.heap().copies().isScalar(value)) return brain.copyIntoConnection(ctx, value, thread);
        if (!complete) return value;
        throw violation(operation, target, value, "storing the request's object " + describe(value) + " into the connection's"
                + " state " + describe(target) + " would persist it past the request's rollback; only int, float, str and"
                + " bytes are copied on assignment");
    }

    /** PyParallel's own checks: list stores of parallel items, and a parallel thread's dict resize or clear. */
    private static boolean faithfulRefuses(StoreOperation operation, boolean parallelValue, boolean parallelThread) {
        return switch (operation) {
            case LIST_SET_ITEM, LIST_APPEND -> parallelValue;
            case DICT_INSERT_RESIZE, DICT_CLEAR -> parallelThread;
            default -> false;
        };
    }

    private static String pyParallelReason(StoreOperation operation) {
        return switch (operation) {
            case LIST_SET_ITEM, LIST_APPEND -> "PyParallel refuses a parallel item in a main list";
            default -> "PyParallel refuses a parallel thread's resize or clear of a main dict";
        };
    }

    private PersistenceViolation violation(StoreOperation operation, long target, long value, String why) {
        return new PersistenceViolation(operation, target, value, why);
    }

    private String describe(long object) {
        Heap heap = brain.heap();
        return "'" + heap.types().typeName(heap.typeOf(object)) + "' at 0x" + Long.toHexString(object)
                + " (" + heap.spaceOf(object).name() + " space)";
    }
}
