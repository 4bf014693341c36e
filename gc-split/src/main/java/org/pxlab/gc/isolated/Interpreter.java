package org.pxlab.gc.isolated;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One isolated heap's state beside its space: its own lock (PEP 684's per-interpreter GIL,
 * taken by the thread that runs the interpreter while it is attached), the copy of the shared
 * state it serves requests with, and whether its thread acts for the main interpreter now.
 * Each interpreter is its own object, so that two workers' per-request writes do not share
 * a field's cache line by construction of one array.
 */
final class Interpreter {
    /** Index of the interpreter's space: 0 for the main interpreter, {@code k} for worker {@code k}. */
    final int space;
    final ReentrantLock lock = new ReentrantLock();
    /** The main heap's handler whose copy this interpreter holds (0: none yet). */
    long handler;
    /** This interpreter's copy of {@link #handler}, owning one reference (the copy's module keeps the rest). */
    long handlerCopy;
    /** Whether the thread of this interpreter acts for the main interpreter now (it holds the main lock). */
    boolean inMain;
    /** Lock acquisitions, those that waited, and the time waited (written under the lock). */
    volatile long acquisitions, contended, waitNanos;

    Interpreter(int space) {
        this.space = space;
    }

    /** Takes the lock, counting a wait. */
    void take() {
        if (lock.tryLock()) {
            acquisitions++;
            return;
        }
        long start = System.nanoTime();
        lock.lock();
        acquisitions++;
        contended++;
        waitNanos += System.nanoTime() - start;
    }

    void release() {
        lock.unlock();
    }
}
