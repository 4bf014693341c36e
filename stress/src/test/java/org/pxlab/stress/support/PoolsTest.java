package org.pxlab.stress.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.memory.Memory;

class PoolsTest {
    @Test
    void aPoolMakesOnlyAsManyResourcesAsAreTakenAtOnce() {
        AtomicInteger made = new AtomicInteger();
        Pool<Object> pool = new Pool<>(() -> "resource " + made.incrementAndGet());
        Object a = pool.take();
        Object b = pool.take();
        pool.give(a);
        pool.give(b);
        for (int i = 0; i < 1000; i++) {
            Object x = pool.take();
            Object y = pool.take();
            assertThat(x).isNotSameAs(y);
            pool.give(x);
            pool.give(y);
        }
        assertThat(pool.created()).isEqualTo(2);
        assertThat(made).hasValue(2);
    }

    @Test
    void slotsAreAlignedZeroedOnTakeAndPoisonedOnGive() {
        assertThat(Memory.POISON_ENABLED).as("surefire runs with -Dpxlab.poison=true").isTrue();
        long slot = SlotPool.SHARED.take();
        assertThat(slot % SlotPool.SLOT_BYTES).isZero();
        for (int i = 0; i < SlotPool.SLOT_BYTES; i += 8) assertThat(Memory.getLong(slot + i)).isZero();
        Memory.putLong(slot, 42);
        SlotPool.SHARED.give(slot);
        // Slots stay mapped for the life of the JVM: a stale read sees the poison.
        assertThat(Memory.getLong(slot)).isEqualTo(Memory.POISON_WORD);
        long again = SlotPool.SHARED.take();
        assertThat(again).isEqualTo(slot);
        assertThat(Memory.getLong(again)).isZero();
        SlotPool.SHARED.give(again);
    }

    @Test
    void reusingSlotsTakesNoNewMemory() {
        long[] slots = new long[100];
        for (int i = 0; i < slots.length; i++) slots[i] = SlotPool.SHARED.take();
        for (long s : slots) SlotPool.SHARED.give(s);
        long reserved = SlotPool.SHARED.reservedBytes();
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < slots.length; i++) slots[i] = SlotPool.SHARED.take();
            for (long s : slots) SlotPool.SHARED.give(s);
        }
        assertThat(SlotPool.SHARED.reservedBytes()).isEqualTo(reserved);
    }

    @Test
    void simulatedObjectsStartWithOneReference() {
        SimulatedObjects objects = new SimulatedObjects("plain");
        long o = objects.take();
        assertThat(objects.strategy().referenceCount(o)).isEqualTo(1);
        objects.strategy().incref(o, Actors.FIRST);
        assertThat(objects.strategy().referenceCount(o)).isEqualTo(2);
        objects.give(o);
        long again = objects.take();
        assertThat(objects.strategy().referenceCount(again)).isEqualTo(1);
        objects.give(again);
    }

    @Test
    void actorContextsAreDistinct() {
        assertThat(Actors.FIRST.id()).isNotEqualTo(Actors.SECOND.id());
        assertThat(Housekeeping.CONTEXT.id()).isNotIn(Actors.FIRST.id(), Actors.SECOND.id());
    }
}
