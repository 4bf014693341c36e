package org.pxlab.stress.refcount;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.SimulatedObjects;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: `interlocked` refcounts (one 64-bit ob_refcnt, every update an atomic
    read-modify-write, Arc's orderings) never lose an update when threads share an object
    without any lock. That is the whole point of the strategy, and what lets the registry
    accept it with sync disciplines that do not serialise mutators (per-object-locks).

    The race: exactly PlainRefCountUnlockedControl's, with `interlocked` in place of `plain`:
    one simulated object (header composed for `interlocked`, count 1), two runtime threads,
    each doing Py_INCREF with no lock. The arbiter reads the count when both are done. The
    control runs beside it in the same suite: it shows that these samples can show a lost
    update, so its absence here is evidence.

    Outcomes (the final reference count):
      3         both increments landed, whatever the interleaving (lock xadd).
      2         FORBIDDEN: a lost refcount update, which an atomic add cannot produce; the
                object would be freed while a reference to it still exists.
      others    FORBIDDEN: the count was torn or corrupted.
 */
@JCStressTest
@Covers(hazards = Hazard.LOST_REFCOUNT_UPDATE, configurations = {"fine-grained", "fine-grained-global"}, setup = "`interlocked` refcounts, no lock")
@Description("interlocked refcount, no lock: two runtime threads Py_INCREF one shared object")
@Outcome(id = "3", expect = ACCEPTABLE, desc = "Both increments landed.")
@Outcome(id = "2", expect = FORBIDDEN, desc = "Lost refcount update: an atomic increment was lost.")
@Outcome(expect = FORBIDDEN, desc = "The count was torn or corrupted.")
@State
public class InterlockedRefCountShared {
    private static final SimulatedObjects OBJECTS = new SimulatedObjects("interlocked");
    private static final RefCountStrategy INTERLOCKED = OBJECTS.strategy();

    private final long object = OBJECTS.take();

    @Actor
    public void actor1() {
        INTERLOCKED.incref(object, Actors.FIRST);
    }

    @Actor
    public void actor2() {
        INTERLOCKED.incref(object, Actors.SECOND);
    }

    @Arbiter
    public void arbiter(J_Result r) {
        r.r1 = INTERLOCKED.referenceCount(object);
        OBJECTS.give(object);
    }
}
