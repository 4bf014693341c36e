package org.pxlab.stress.refcount;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: with `biased` refcounts (CPython 3.13t's biased reference counting and the merge
    queues of brc.c), an object whose owner and one other thread each drop one of its last two
    references is freed exactly once, once both decrements and the owner's merge are done.

    Why this race: the owner handed one of its references to the other thread, so both are
    counted in the owner's plain ob_ref_local (2) and ob_ref_shared is 0. The owner's decrement
    leaves local at 1 and frees nothing. The non-owner's decrement finds the shared count at 0:
    it may not subtract (the owner may free at local 0 without an atomic), so it marks the
    object QUEUED and pushes it, with the reference it dropped, onto the owner's merge queue,
    and sets the owner's merge bit. Only the merge (_Py_ExplicitMergeRefcount(op, -1)) can then
    see the logical count reach 0 and free the object. The owner races that push with its own
    decrement and its eval-breaker check; whether its check sees the bit decides who merges,
    never how many times the object is freed.

    The race: one object owned by actor1 (Actors.FIRST), local count 2, built under the
    housekeeping lock. actor1 (the owner) calls Py_DECREF, then makes an eval-breaker check,
    merging its queue if its merge bit is set, and reports how often its object has been freed
    so far. actor2 (a non-owner) calls Py_DECREF. A decrement that reports the last reference
    counts as a free, as the runtime would free the object then; so does each merge that
    reaches 0 (the strategy's release). The arbiter stands for the owner's next eval-breaker
    check: it merges what is still queued, then reads the object's frees and its count.
    (Arbiters run when no actor of the iteration is running, so they may use the owner's
    context; under the housekeeping lock, one at a time.)

    Outcomes (frees seen by the owner after its check, frees at the end, final count):
      1, 1, 0    the owner's check found the queued object and its merge freed it.
      0, 1, 0    the owner checked before the push; the next check (the arbiter's) freed it.
      *, 0, *    FORBIDDEN: freed never (the queued reference was lost: a leak).
      *, 2, *    FORBIDDEN: freed twice (a decrement and a merge both saw zero, or two merges).
      others     FORBIDDEN: a count other than 0 after the last reference went.
 */
@JCStressTest
@Covers(hazards = Hazard.FREED_TWICE_OR_NEVER, configurations = {"free-threaded-3.13"}, setup = "`biased` refcounts, merge queue")
@Description("biased refcount: the owner and a non-owner drop the last two references; the non-owner's decrement is queued to the owner's merge")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The owner's eval-breaker check merged the queued object and freed it.")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "The owner checked before the push; its next check (the arbiter's) freed it.")
@Outcome(id = {"0, 0, 0", "0, 0, 1", "1, 0, 0"}, expect = FORBIDDEN, desc = "Freed never: the queued reference was lost.")
@Outcome(id = {"0, 2, 0", "1, 2, 0", "2, 2, 0"}, expect = FORBIDDEN, desc = "Freed twice.")
@Outcome(expect = FORBIDDEN, desc = "A wrong count or a wrong number of frees.")
@State
public class BiasedLastReference {
    private final long object = BiasedMergeRig.OBJECTS.take(Actors.FIRST);

    public BiasedLastReference() {
        synchronized (Housekeeping.LOCK) {
            // The owner's second reference, handed to actor2: counted in ob_ref_local, as an
            // owner's Py_INCREF counts every reference it makes.
            BiasedMergeRig.BIASED.incref(object, Actors.FIRST);
        }
    }

    @Actor
    public void actor1(JJJ_Result r) {
        if (BiasedMergeRig.BIASED.decref(object, Actors.FIRST)) BiasedMergeRig.freed(object);
        BiasedMergeRig.ownerCheck();
        r.r1 = BiasedMergeRig.frees(object);
    }

    @Actor
    public void actor2(JJJ_Result r) {
        if (BiasedMergeRig.BIASED.decref(object, Actors.SECOND)) BiasedMergeRig.freed(object);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        synchronized (Housekeeping.LOCK) {
            BiasedMergeRig.ownerCheck();
            r.r2 = BiasedMergeRig.frees(object);
            r.r3 = BiasedMergeRig.BIASED.referenceCount(object);
        }
        BiasedMergeRig.OBJECTS.give(object);
    }
}
