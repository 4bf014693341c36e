package org.pxlab.runtime.testkit;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * A deliberately broken refcount strategy, to prove that {@link RefCountContract} notices lost
 * updates: it counts in one 8-byte {@code ob_refcnt} with plain loads and stores, like
 * {@code plain} (each access opaque, so every call is a separate load and store), yet claims
 * {@link #isThreadSafe()}. Single-threaded it is correct (immortals
 * included: counts from 2^40 up never change), so only the kit's two-thread stress can tell.
 * Never use it outside the kits' self-test.
 */
public final class PlainPosingAsAtomicRefCount implements RefCountStrategy {
    /** The immortal count: at least 2^30, as the SPI asks immortals to report. */
    static final long IMMORTAL = 1L << 40;

    private static final HeaderField OB_REFCNT = new HeaderField("ob_refcnt", 8, Ranks.REFCOUNT, "plain-posing-as-atomic");
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
        // Opaque, so that each call really loads and stores (the JIT may fold a loop of plain
        // increments into one add, leaving a race window too small to show reliably); still
        // not atomic, which is the bug: another thread's update between load and store is lost.
        long count = Memory.getLongOpaque(at);
        if (count >= IMMORTAL) return;
        Memory.putLongOpaque(at, count + 1);
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        long at = object + refcnt;
        long count = Memory.getLongOpaque(at);
        if (count >= IMMORTAL) return false;
        Memory.putLongOpaque(at, --count);
        return count == 0;
    }

    @Override
    public long referenceCount(long object) {
        return Memory.getLong(object + refcnt);
    }

    @Override
    public void makeImmortal(long object) {
        Memory.putLong(object + refcnt, IMMORTAL);
    }

    @Override
    public boolean isImmortal(long object) {
        return Memory.getLong(object + refcnt) >= IMMORTAL;
    }

    /** The lie. */
    @Override
    public boolean isThreadSafe() {
        return true;
    }
}
