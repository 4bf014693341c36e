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
import org.pxlab.refcount.BiasedRefCount;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: with `biased` refcounts, the owner's plain increment and a non-owner's atomic
    one never lose each other: the logical count (ob_ref_local + ob_ref_shared >> 2) is exact.

    Why it can hold without a lock, where PlainRefCountUnlockedControl loses updates: the two
    increments write different words. The owner adds to ob_ref_local with a plain store, which
    no other thread writes; the non-owner adds 4 to ob_ref_shared with an atomic add, which the
    owner does not write on this path. A strategy that let both update one word plainly, or
    that tested ownership wrongly (a non-owner taking the owner's plain path), would lose one.

    The race: one object owned by actor1 (Actors.FIRST), count 1, built under the housekeeping
    lock. actor1 (the owner) and actor2 (a non-owner) each call Py_INCREF once. The arbiter
    reads the two parts and the logical count.

    Outcomes (ob_ref_local, shared count, logical count):
      2, 1, 3    both increments landed, each in its own word.
      others     FORBIDDEN: an increment was lost or landed in the wrong word.
 */
@JCStressTest
@Covers(hazards = Hazard.LOST_REFCOUNT_UPDATE, configurations = {"free-threaded-3.13"}, setup = "`biased` refcounts, no lock")
@Description("biased refcount: the owner's plain increment races a non-owner's atomic one")
@Outcome(id = "2, 1, 3", expect = ACCEPTABLE, desc = "Both increments landed, the owner's in ob_ref_local, the other's in ob_ref_shared.")
@Outcome(id = {"1, 1, 2", "2, 0, 2"}, expect = FORBIDDEN, desc = "Lost refcount update.")
@Outcome(expect = FORBIDDEN, desc = "An increment landed in the wrong word, or the count is corrupted.")
@State
public class BiasedRefCountShared {
    private final long object = BiasedMergeRig.OBJECTS.take(Actors.FIRST);

    @Actor
    public void actor1() {
        BiasedMergeRig.BIASED.incref(object, Actors.FIRST);
    }

    @Actor
    public void actor2() {
        BiasedMergeRig.BIASED.incref(object, Actors.SECOND);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        // The raw words, not only the logical count: an increment in the wrong word is wrong too.
        BiasedRefCount biased = (BiasedRefCount) BiasedMergeRig.BIASED;
        r.r1 = biased.localCount(object);
        r.r2 = biased.sharedWord(object) >> BiasedRefCount.SHARED_SHIFT;
        r.r3 = biased.referenceCount(object);
        BiasedMergeRig.OBJECTS.give(object);
    }
}
