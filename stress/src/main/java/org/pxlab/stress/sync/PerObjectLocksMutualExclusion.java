package org.pxlab.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.SlotPool;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: `per-object-locks` (PEP 703's one-byte PyMutex in ob_mutex, with critical
    sections, as CPython 3.13t has them) gives mutual exclusion per object: two threads that
    lock the same object never run their critical sections at once. Every container of the
    fine-grained configurations, and their non-atomic item stores, rely on it.

    The race: GilMutualExclusion's, on one object's header mutex instead of the GIL. One
    simulated object (a 64-byte slot; the header word ob_flags|ob_mutex|ob_gc_bits is where the
    composed header puts it, the object's "body" is a plain counter in the slot's last word).
    Each of two runtime threads locks the object (critical-section begin), reads the counter
    with a plain load, stores it plus one with a plain store, and unlocks. Each reports the
    value it read; the arbiter reports the final counter.

    Outcomes (actor1 read, actor2 read, final counter):
      0, 1, 2   actor1 held the object's mutex first; actor2 then read its store.
      1, 0, 2   the same with the roles swapped.
      0, 0, 1   FORBIDDEN: a lost increment: both were inside the critical section at once.
      others    FORBIDDEN: a store escaped the critical section (no happens-before from one
                holder's unlock to the next holder's lock).

    One PerObjectLocks instance serves every state, as one runtime's instance serves all its
    objects (its parking lot and per-thread section stacks are per runtime); only the object is
    per state, from the shared slot pool (zeroed on take: the mutex byte starts unlocked).
    Contended acquisitions spin (yield) and then park in the parking lot, and an unlock hands
    the lock to a waiter that waited over 1 ms: all of lock.c's paths can be taken here.
 */
@JCStressTest
@Covers(hazards = Hazard.MUTUAL_EXCLUSION, configurations = {"fine-grained", "fine-grained-global", "free-threaded-3.13"}, setup = "`per-object-locks`")
@Description("per-object-locks: two runtime threads do a read-modify-write of one object's word inside its critical section")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "actor1 held the object's mutex first; actor2 then read its store.")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "actor2 held the object's mutex first; actor1 then read its store.")
@Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "Lost update: both actors were inside the object's critical section at once.")
@Outcome(expect = FORBIDDEN, desc = "A store escaped the critical section.")
@State
public class PerObjectLocksMutualExclusion {
    private static final SyncDiscipline LOCKS = Components.sync("per-object-locks");
    /** The counter: the slot's last word, past any header field. */
    private static final long COUNTER = SlotPool.SLOT_BYTES - 8;

    private final long object = SlotPool.SHARED.take();

    @Actor
    public void actor1(III_Result r) {
        r.r1 = incrementInCriticalSection(Actors.FIRST);
    }

    @Actor
    public void actor2(III_Result r) {
        r.r2 = incrementInCriticalSection(Actors.SECOND);
    }

    private int incrementInCriticalSection(ThreadContext thread) {
        LOCKS.lock(object, thread);
        try {
            long seen = Memory.getLong(object + COUNTER);
            Memory.putLong(object + COUNTER, seen + 1);
            return (int) seen;
        } finally {
            LOCKS.unlock(object, thread);
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = (int) Memory.getLong(object + COUNTER);
        SlotPool.SHARED.give(object);
    }
}
