package org.pxlab.gc.split;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.pxlab.runtime.memory.Memory;

/**
 * {@code async.protect(obj)}'s locks: a read/write lock per protected main object, found from
 * the object's {@code px_flags} word (PyParallel kept a per-object SRW lock in the header
 * until October 2015, then moved it out; pxlab keeps the lock in a table and its index in
 * the header). The low bit of {@code px_flags} says "protected"; the high 32 bits hold the
 * lock's index.
 */
final class ProtectedObjects {
    /** {@code px_flags} bit: the object has been protected. */
    static final long PROTECTED = 1;

    private final int flagsOffset;
    private volatile ReentrantReadWriteLock[] locks = new ReentrantReadWriteLock[16];
    private int count;

    ProtectedObjects(int flagsOffset) {
        this.flagsOffset = flagsOffset;
    }

    /** Protects the object (idempotent). Main thread only. */
    synchronized void protect(long object) {
        long flags = Memory.getLongVolatile(object + flagsOffset);
        if ((flags & PROTECTED) != 0) return;
        if (count == locks.length) locks = Arrays.copyOf(locks, count * 2);
        locks[count] = new ReentrantReadWriteLock();
        // Published with a volatile store after the lock exists: a reader that sees the bit finds the lock.
        Memory.putLongVolatile(object + flagsOffset, flags | PROTECTED | ((long) count << 32));
        count++;
    }

    /** The object's lock index, or -1 if it is not protected. */
    int lockOf(long object) {
        long flags = Memory.getLongVolatile(object + flagsOffset);
        return (flags & PROTECTED) == 0 ? -1 : (int) (flags >>> 32);
    }

    /** The lock with this index. */
    ReentrantReadWriteLock lock(int index) {
        return locks[index];
    }

    /** Objects protected so far. */
    synchronized int count() {
        return count;
    }
}
