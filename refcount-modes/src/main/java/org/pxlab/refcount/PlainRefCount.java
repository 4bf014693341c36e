package org.pxlab.refcount;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * CPython 3.12's reference count ({@code plain}): one 64-bit {@code ob_refcnt}, updated with
 * ordinary loads and stores, safe only while one thread at a time runs (the GIL).
 *
 * <p>Immortality follows PEP 683 as 3.12 ships it ({@code Include/object.h}):
 * <ul>
 * <li>{@code Py_INCREF} adds one to the <em>low 32 bits</em> only and skips the store if they
 *     would wrap to zero, so an immortal count ({@code _Py_IMMORTAL_REFCNT = UINT_MAX}) is
 *     never written;</li>
 * <li>{@code Py_DECREF} returns at once when {@code (int32_t) ob_refcnt < 0}
 *     ({@code _Py_IsImmortal}), otherwise decrements and reports zero.</li>
 * </ul>
 * A consequence CPython accepts: a mortal object that reaches 2^31 references becomes
 * immortal in effect, since its low half reads as negative.
 */
public final class PlainRefCount implements RefCountStrategy {
    /** {@code _Py_IMMORTAL_REFCNT} on 64-bit builds of 3.12. */
    public static final long IMMORTAL_REFCNT = 0xFFFF_FFFFL;

    private static final HeaderField OB_REFCNT = new HeaderField("ob_refcnt", 8, Ranks.REFCOUNT, "plain");
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
        // ob_refcnt_split[0] on little-endian: the low 32 bits.
        long at = object + refcnt;
        int updated = Memory.getInt(at) + 1;
        if (updated == 0) return;
        Memory.putInt(at, updated);
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        long at = object + refcnt;
        long count = Memory.getLong(at);
        if ((int) count < 0) return false;
        Memory.putLong(at, --count);
        return count == 0;
    }

    @Override
    public long referenceCount(long object) {
        return Memory.getLong(object + refcnt);
    }

    @Override
    public void makeImmortal(long object) {
        Memory.putLong(object + refcnt, IMMORTAL_REFCNT);
    }

    @Override
    public boolean isImmortal(long object) {
        return (int) Memory.getLong(object + refcnt) < 0;
    }

    @Override
    public boolean isThreadSafe() {
        return false;
    }
}
