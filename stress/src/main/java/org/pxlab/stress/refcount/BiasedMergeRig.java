package org.pxlab.stress.refcount;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountSite;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.SimulatedObjects;
import org.pxlab.stress.support.SlotPool;

/**
 * One {@code biased} strategy per JVM, with what a runtime would give it: a site whose
 * {@code release} is the runtime's free, and the two actors' threads registered with its
 * merge queues ({@code _Py_brc_init_thread}), actor1 ({@link Actors#FIRST}) as the owner of
 * every object.
 *
 * <h2>Counting frees instead of freeing</h2>
 * A state's object lives in a pooled slot, so nothing is handed to an allocator: each free
 * (a decrement that reports the last reference, or a merge that reaches zero and calls
 * {@code release}) adds one to a word at the end of the object's slot, past its header.
 * The slot is zeroed when taken, so the word counts this state's frees only, and the add is
 * atomic because a broken strategy could free one object from two threads at once.
 *
 * <h2>Neither thread ever exits</h2>
 * The owner's queue stays registered for the whole run, so a non-owner's decrement that finds
 * the shared count at zero always queues to it and never takes the abandoned-object path.
 */
final class BiasedMergeRig {
    private BiasedMergeRig() {}

    /** The merge bit on the owner's eval breaker (the runtime's {@code REFCOUNT_BIT}; any free bit will do). */
    static final int MERGE_BIT = 1 << 18;

    static final SimulatedObjects OBJECTS = new SimulatedObjects("biased");
    static final RefCountStrategy BIASED = OBJECTS.strategy();
    /** Where the free count lives in a slot: its last word, past any header the strategy composes. */
    private static final int FREES = SlotPool.SLOT_BYTES - Long.BYTES;

    static {
        if (Components.header(BIASED).size() > FREES) {
            throw new IllegalStateException("biased header leaves no room for the free count in a slot");
        }
        BIASED.bindSite(new RefCountSite() {
            @Override
            public int breakerBit() {
                return MERGE_BIT;
            }

            @Override
            public void schedule(ThreadContext owner) {
                owner.signal(MERGE_BIT);
            }

            @Override
            public void release(long object, ThreadContext thread) {
                freed(object);
            }
        });
        BIASED.threadStarted(Actors.FIRST);
        BIASED.threadStarted(Actors.SECOND);
    }

    /** Records one free of {@code object}, as the runtime's deallocation would happen once. */
    static void freed(long object) {
        Memory.getAndAddLong(object + FREES, 1);
    }

    /** How many times {@code object} has been freed since its slot was taken. */
    static long frees(long object) {
        return Memory.getLongVolatile(object + FREES);
    }

    /**
     * The owner's eval-breaker check ({@code _Py_HandlePending}): merges its queue if a
     * non-owner has set its merge bit. Only on the owner's context, by one thread at a time.
     */
    static void ownerCheck() {
        if ((Actors.FIRST.evalBreaker() & MERGE_BIT) != 0) BIASED.processPending(Actors.FIRST);
    }
}
