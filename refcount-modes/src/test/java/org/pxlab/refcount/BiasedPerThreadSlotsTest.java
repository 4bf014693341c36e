package org.pxlab.refcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.object.TypeObjects;

/**
 * CPython 3.14t's deferred counts and per-thread slots on {@code biased}, on raw header words:
 * the corner cases {@code uniqueid.c} and {@code gc_free_threading.c} handle (slots that sum to
 * the true count, ids reused after their object dies, slot arrays grown with the pool, a
 * thread's slots merged at its exit) and deferred objects that no decrement frees.
 */
class BiasedPerThreadSlotsTest {
    private final ThreadContext owner = new ThreadContext(1, "owner", Placement.MAIN);
    private final ThreadContext other = new ThreadContext(2, "other", Placement.MAIN);
    private final List<Long> blocks = new ArrayList<>();
    private final List<Long> released = new ArrayList<>();
    private BiasedRefCount rc;
    private int body;

    @BeforeEach
    void bind() {
        rc = new BiasedRefCount(Set.of(), Set.of(TypeKind.FUNCTION, TypeKind.MODULE), Set.of(TypeKind.TYPE, TypeKind.CODE));
        StructLayout header = Heap.composeHeader(List.of(rc), List.of());
        rc.bind(header);
        body = header.size();
        RecordingRefCountSite.bind(rc, released, owner, other);
    }

    @AfterEach
    void free() {
        blocks.forEach(SystemMalloc::free);
    }

    /** A zeroed block with room for a type's body; counted by {@code by}, announced as {@code kind}. */
    private long newObject(TypeKind kind, ThreadContext by) {
        long o = SystemMalloc.malloc(body + 64);
        blocks.add(o);
        for (int i = 0; i < body + 64; i += 8) Memory.putLong(o + i, 0L);
        rc.initialize(o, by);
        rc.objectCreated(o, kind, by);
        return o;
    }

    private long id(long type) {
        return Memory.getLong(type + body + TypeObjects.UNIQUE_ID);
    }

    /** The count a collector works from: the bias off, every slot merged ({@code processAllPending}, world stopped). */
    private long mergedCount(long object) {
        rc.processAllPending(owner);
        return rc.referenceCount(object) - (rc.isDeferred(object) ? BiasedRefCount.DEFERRED : 0);
    }

    @Test
    void typesAndCodeGetIdsAndAreDeferredFunctionsAndModulesAreDeferredOnly() {
        long type = newObject(TypeKind.TYPE, owner), code = newObject(TypeKind.CODE, owner);
        long fn = newObject(TypeKind.FUNCTION, owner), list = newObject(TypeKind.LIST, owner);
        assertThat(id(type)).isEqualTo(1);
        assertThat(Memory.getLong(code + body + org.pxlab.runtime.object.Functions.CODE_UNIQUE_ID)).isEqualTo(2);
        assertThat(rc.isDeferred(type)).isTrue();
        assertThat(rc.isDeferred(code)).isTrue();
        assertThat(rc.isDeferred(fn)).isTrue();
        assertThat(rc.isDeferred(list)).isFalse();
        assertThat(rc.referenceCount(fn)).isEqualTo(1 + BiasedRefCount.DEFERRED);
    }

    @Test
    void noDecrementFreesADeferredObjectUntilTheCollectorDisablesDeferral() {
        long fn = newObject(TypeKind.FUNCTION, owner);
        rc.incref(fn, other);
        assertThat(rc.decref(fn, owner)).as("owner's local reaches 0: merged, the bias keeps it").isFalse();
        assertThat(rc.decref(fn, other)).isFalse();
        assertThat(rc.referenceCount(fn)).isEqualTo(BiasedRefCount.DEFERRED);
        rc.disableDeferred(fn);
        assertThat(rc.isDeferred(fn)).isFalse();
        assertThat(rc.referenceCount(fn)).as("merge_refcount(op, 0): no reference left").isZero();
        assertThat(rc.sharedWord(fn)).isEqualTo(BiasedRefCount.MERGED);
        assertThat(released).isEmpty();
    }

    @Test
    void slotsSumToTheTrueCountAndLeaveTheTypeUntouchedUntilMerged() {
        long type = newObject(TypeKind.TYPE, owner);
        // A thread without a slot array yet decrements the type itself (_Py_DECREF_TYPE's else):
        // each thread counts once first, which gives it its array.
        rc.increfType(type, owner);
        rc.increfType(type, other);
        long shared = rc.sharedWord(type), local = rc.localCount(type);
        Random random = new Random(0x70786c6162L);
        long expected = 3;
        for (int i = 0; i < 10_000; i++) {
            ThreadContext t = random.nextBoolean() ? owner : other;
            if (expected > 1 && random.nextInt(3) == 0) {
                assertThat(rc.decrefType(type, t)).isFalse();
                expected--;
            } else {
                rc.increfType(type, t);
                expected++;
            }
        }
        assertThat(rc.sharedWord(type)).as("_Py_INCREF_TYPE never writes the type").isEqualTo(shared);
        assertThat(rc.localCount(type)).isEqualTo(local);
        assertThat(rc.perThreadSlots().pending(id(type))).isEqualTo(expected - 1);
        assertThat(mergedCount(type)).isEqualTo(expected);
        assertThat(rc.perThreadSlots().pending(id(type))).as("merged slots are zeroed").isZero();
    }

    @Test
    void anIdFreedWithItsObjectIsReusedAndTheDeadObjectsLastDecrementsGoToItself() {
        long a = newObject(TypeKind.TYPE, owner), b = newObject(TypeKind.TYPE, owner);
        assertThat(id(a)).isEqualTo(1);
        assertThat(id(b)).isEqualTo(2);
        rc.increfType(a, owner); // an instance of a
        rc.increfType(a, other); // and another
        assertThat(mergedCount(a)).isEqualTo(3);
        rc.disableDeferred(a); // found unreachable (with its instances) by the collector
        assertThat(id(a)).as("clear_unique_id").isZero();
        long c = newObject(TypeKind.TYPE, owner);
        assertThat(id(c)).as("the free list hands a's id out again").isEqualTo(1);
        rc.increfType(c, owner);
        assertThat(rc.decrefType(a, owner)).as("a's instances die: decrements go to a, not to c's slot").isFalse();
        assertThat(rc.decrefType(a, other)).isFalse();
        assertThat(rc.referenceCount(a)).isEqualTo(1);
        assertThat(rc.perThreadSlots().pending(1)).as("c's slot holds c's reference only").isEqualTo(1);
        assertThat(mergedCount(c)).isEqualTo(2);
    }

    @Test
    void slotArraysGrowWhenThePoolDoes() {
        long first = newObject(TypeKind.TYPE, owner);
        rc.increfType(first, owner);
        assertThat(rc.perThreadSlots().poolSize()).isEqualTo(PerThreadRefCounts.POOL_MIN_SIZE);
        long last = 0;
        for (int i = 0; i < PerThreadRefCounts.POOL_MIN_SIZE; i++) last = newObject(TypeKind.TYPE, owner);
        assertThat(id(last)).isEqualTo(PerThreadRefCounts.POOL_MIN_SIZE + 1);
        assertThat(rc.perThreadSlots().poolSize()).isEqualTo(2 * PerThreadRefCounts.POOL_MIN_SIZE);
        long shared = rc.sharedWord(last);
        rc.increfType(last, owner); // beyond the owner's array: resize_local_refcounts, then the slot
        assertThat(rc.sharedWord(last)).isEqualTo(shared);
        assertThat(rc.perThreadSlots().pending(id(last))).isEqualTo(1);
        assertThat(rc.perThreadSlots().pending(id(first))).as("kept across the resize").isEqualTo(1);
        assertThat(mergedCount(last)).isEqualTo(2);
        assertThat(mergedCount(first)).isEqualTo(2);
    }

    @Test
    void aThreadsSlotsAreMergedAtItsExitAndItCountsOnTheObjectAfterwards() {
        long type = newObject(TypeKind.TYPE, owner);
        for (int i = 0; i < 5; i++) rc.increfType(type, other);
        rc.threadExiting(other); // _PyObject_FinalizePerThreadRefcounts
        assertThat(rc.referenceCount(type) - BiasedRefCount.DEFERRED).as("merged without a collection").isEqualTo(6);
        long shared = rc.sharedWord(type);
        rc.increfType(type, other); // is_finalized: no array any more, Py_INCREF
        assertThat(rc.sharedWord(type)).isEqualTo(shared + BiasedRefCount.ONE_SHARED);
        assertThat(rc.perThreadSlots().pending(id(type))).isZero();
    }
}
