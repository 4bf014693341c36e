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
import org.pxlab.stress.support.Pool;
import org.pxlab.stress.support.SlotPool;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: the `gil` sync discipline lets one runtime thread at a time run simulated code.
    Everything else pxlab builds on the GIL (plain refcounts, a size-class-pool that is not
    thread safe, containers without locks) is safe only if that holds.

    The race: two runtime threads (distinct ThreadContexts, ids 0 and 1) each attach to the
    same GIL, read a word of simulated memory with a plain load, store that value plus one
    with a plain store, and detach. Each reports the value it read; the arbiter, after both
    are done, reports the word. Without the lock this is the textbook lost update (compare
    PlainRefCountUnlockedControl, which shows it happening on a refcount).

    Outcomes (actor1 read, actor2 read, final word):
      0, 1, 2   actor1 attached first; actor2 attached after actor1 detached and saw its store.
      1, 0, 2   the same with the roles swapped.
      0, 0, 1   FORBIDDEN: both read 0, so both were inside attach..detach at once, and one
                increment was lost. This is what a broken GIL looks like.
      others    FORBIDDEN: a read of 1 with a final word of 1, or a 2, would mean a store
                escaped the lock (no happens-before from detach to the next attach).

    The GIL per state: each sample gets its own GIL, so the two actors contend exactly when
    they reach the same state (jcstress keeps them close: the actors meet at a barrier after
    every stride). A GIL keeps 16 KiB of per-thread counters, and jcstress makes a new state
    for every sample, so GILs come from a pool: taken in the constructor, given back by the
    arbiter (when the GIL is free again), reused by a later state. The word comes from the
    shared slot pool (off-heap, zeroed on take, poisoned on give).

    Stress actors never poll the eval breaker. If one actor waits longer than the switch
    interval (5 ms: the holder was descheduled), it raises a drop request, and the holder's
    detach then waits until the waiter has the GIL (CPython's FORCE_SWITCHING); no outcome
    changes.
 */
@JCStressTest
@Covers(hazards = Hazard.MUTUAL_EXCLUSION, configurations = {"gil"}, setup = "`gil`")
@Description("gil: two runtime threads do a read-modify-write of one simulated word, each between attach and detach")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "actor1 held the GIL first; actor2 then read its store.")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "actor2 held the GIL first; actor1 then read its store.")
@Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "Lost update: both actors ran the read-modify-write at once.")
@Outcome(expect = FORBIDDEN, desc = "A store escaped the GIL: no happens-before from one holder to the next.")
@State
public class GilMutualExclusion {
    private static final Pool<SyncDiscipline> GILS = new Pool<>(() -> Components.sync("gil"));

    private final SyncDiscipline gil = GILS.take();
    private final long word = SlotPool.SHARED.take();

    @Actor
    public void actor1(III_Result r) {
        r.r1 = incrementHoldingGil(Actors.FIRST);
    }

    @Actor
    public void actor2(III_Result r) {
        r.r2 = incrementHoldingGil(Actors.SECOND);
    }

    private int incrementHoldingGil(ThreadContext thread) {
        gil.attach(thread);
        try {
            long seen = Memory.getLong(word);
            Memory.putLong(word, seen + 1);
            return (int) seen;
        } finally {
            gil.detach(thread);
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = (int) Memory.getLong(word);
        SlotPool.SHARED.give(word);
        GILS.give(gil);
    }
}
