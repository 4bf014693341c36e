package org.pxlab.experiments.workload;

import java.util.List;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.PyException;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The program of CPython issue gh-134761 ("{@code threading} primitives are subject to
 * reference count contention"): eight threads call {@code lock.locked()} ten million times
 * each, on one module-global {@code threading.Lock} or on a lock each thread made for itself.
 * On a 3.15t release build (May 2025) the shared lock took 3.4-4.5 s per thread against
 * 0.39-0.56 s for private ones, about 8.6x: the calls write the shared lock's count.
 *
 * <p>pxlab has no lock object, so this models what CPython does to memory for
 * {@code lock.locked()} ({@code Modules/_threadmodule.c}, {@code lock_locked_impl}; the lock
 * is a {@code PyMutex} inside the object since 3.13): {@code LOAD_GLOBAL lock} (+1 on the lock
 * object; neither immortal nor deferred) or {@code LOAD_FAST lock} for the private one; the
 * method lookup on the lock's type ({@code LOAD_ATTR_METHOD_NO_DICT}: the type's dict is read,
 * the {@code locked} descriptor pushed, uncounted since it is immortal here, deferred in
 * 3.14t); {@code CALL_METHOD_DESCRIPTOR_NOARGS}: the C function reads the mutex's state word
 * in the object and returns {@code False} (immortal), then -1 self. The lock type is a class
 * of this module with one slot standing for the mutex (read, never written: nobody acquires
 * the lock) and {@code locked} a built-in method reading it; {@code allocate_lock} makes one.
 *
 * <p>Private locks: the program's thread makes its lock itself, so under biased counting it
 * is the owner and counts with plain stores. A request cannot keep an object of its own
 * across requests (under {@code split-brain} a request's objects go with its rollback), so
 * here the main thread makes one lock per runtime thread at set-up, with two unused ones between
 * each two so that no 64-byte line holds two threads' locks (in the program each lock is in its
 * own thread's heap pages), and each request gets its thread's lock as its argument: each lock
 * is touched by one thread only (no line moves), but
 * where counts are biased a worker counts it atomically, as a non-owner. Configurations that
 * copy arguments between heaps ({@code subinterpreters}, {@code multiprocessing},
 * {@code actors}) refuse a lock argument as they refuse any instance. A request is one
 * iteration of the program's loop without the loop: the int each {@code range} step makes is
 * left out of both cases alike (the shared case's argument is {@code None}).
 *
 * <pre>
 * lock = allocate_lock()                       # threading.Lock()
 * made = [allocate_lock() for _ in range(64 * 3)]   # lock=private: one lock per runtime thread,
 * locks = made[::3]                               #   two unused ones between each two
 *
 * def handler(request):                        # lock=shared (the default); the request is None
 *     return lock.locked()
 *
 * def handler(lock):                           # lock=private: the request's argument is its thread's lock
 *     return lock.locked()
 * </pre>
 *
 * Options: {@code lock} ({@code shared}, the default, or {@code private}).
 */
public final class LockLockedWorkload implements Workload {
    /** Locks made per private lock handed out: a lock is at least 48 bytes, so three apart share no 64-byte line. */
    static final int SPACING = 3;

    @Override
    public String name() {
        return "lock-locked";
    }

    @Override
    public String description() {
        return "gh-134761: every request calls locked() of one module-global lock (or, lock=private, of its thread's own lock)";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        boolean shared = parameters.choice("lock", "shared", List.of("shared", "private")).equals("shared");
        parameters.checkAllUsed();
        Definitions d = m.define();
        long module = d.module("lock_app");
        long lockType = d.klass(module, "lock", 0, List.of("_mutex"), false);
        m.heap().types().addMethod(lockType, "locked", (h, t, self, args, base, n) -> {
            if (n != 0) throw new PyException("TypeError", "locked() takes no arguments (" + n + " given)");
            return h.numbers().bool(h.instances().slot(self, 0) == h.types().trueObject());
        }, m.thread());
        Modules.importNative(m, module, "_thread", "allocate_lock", (h, t, self, args, base, n) -> {
            if (n != 0) throw new PyException("TypeError", "allocate_lock() takes no arguments (" + n + " given)");
            return newLock(h, lockType, t);
        });
        Modules.run(m, module, new String[] {"allocate_lock", "lock"}, b -> {
            b.loadGlobal(0, true);                  // lock = allocate_lock()
            b.call(0);
            b.storeGlobal(1);
        });
        long[] locks = new long[ThreadContext.MAX_THREADS];
        if (!shared) {
            // made = [allocate_lock() for _ in range(64 * SPACING)]; locks = made[::SPACING]: locks[i] is
            // runtime thread i's. The unused ones between keep two threads' locks off one 64-byte line, as each
            // thread's own heap pages do in the program.
            long list = m.heap().lists().newList((long) locks.length * SPACING, m.thread());
            for (int i = 0; i < locks.length * SPACING; i++) {
                long lock = newLock(m.heap(), lockType, m.thread());
                if (i % SPACING == 0) locks[i / SPACING] = lock;
                m.heap().lists().appendTake(list, lock, m.thread());
            }
            d.global(module, "locks", list);
        }
        long handler = d.function(module, "handler", 1, 1, new Object[0], new String[] {"lock", "locked"}, b -> {
            if (shared) b.loadGlobal(0, false);     // lock
            else b.loadFast(0);
            b.loadMethod(1);                        // .locked
            b.call(0);                              // ()
            b.returnValue();
        });
        // The shared case's argument is None, not the request's number, so that both cases pass an argument that costs
        // nothing to make: the program's two loops differ only in where the lock comes from.
        Service.Request request = shared ? (w, index) -> w.heap().newRef(w.heap().types().none(), w.thread())
                : (w, index) -> w.heap().newRef(locks[w.thread().id()], w.thread());
        return Service.of(handler, request, (w, index, response) -> {
            if (response != w.heap().types().falseObject()) throw new WrongAnswer("lock-locked", index, "expected False (nobody holds the lock)");
        });
    }

    /** {@code allocate_lock()}: a new lock instance, its mutex unlocked. New reference. */
    private static long newLock(Heap heap, long lockType, ThreadContext thread) {
        long lock = heap.instances().newInstance(lockType, thread);
        heap.instances().setSlotTake(lock, 0, heap.numbers().bool(false), thread);
        return lock;
    }
}
