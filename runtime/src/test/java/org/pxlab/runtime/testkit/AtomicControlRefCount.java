package org.pxlab.runtime.testkit;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * {@link PlainPosingAsAtomicRefCount} done right: the same count and immortals, updated with
 * atomic read-modify-writes, so its claim to be thread safe is true. The positive control of
 * the kits' self-test: it shows that {@link RefCountContract}'s two-thread stress passes a
 * correct strategy, and so that the broken one fails for its lost updates alone.
 */
public final class AtomicControlRefCount implements RefCountStrategy {
    private static final HeaderField OB_REFCNT = new HeaderField("ob_refcnt", 8, Ranks.REFCOUNT, "atomic-control");
    private int refcnt = -1;

    @Override
    public List<HeaderField> headerFields() {
        return List.of(OB_REFCNT);
    }

    @Override
    public void bind(StructLayout header) {
        refcnt = header.offsetOf("ob_refcnt");
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
        Memory.putLong(object + refcnt, 1L);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        long at = object + refcnt;
        // Immortal counts start at 2^40: an update that races past this check by another
        // thread's makeImmortal moves the count by one, far from the mortal range.
        if (Memory.getLongVolatile(at) >= PlainPosingAsAtomicRefCount.IMMORTAL) return;
        Memory.getAndAddLong(at, 1);
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        long at = object + refcnt;
        if (Memory.getLongVolatile(at) >= PlainPosingAsAtomicRefCount.IMMORTAL) return false;
        return Memory.getAndAddLong(at, -1) == 1;
    }

    @Override
    public long referenceCount(long object) {
        return Memory.getLongVolatile(object + refcnt);
    }

    @Override
    public void makeImmortal(long object) {
        Memory.putLongVolatile(object + refcnt, PlainPosingAsAtomicRefCount.IMMORTAL);
    }

    @Override
    public boolean isImmortal(long object) {
        return Memory.getLongVolatile(object + refcnt) >= PlainPosingAsAtomicRefCount.IMMORTAL;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }
}
