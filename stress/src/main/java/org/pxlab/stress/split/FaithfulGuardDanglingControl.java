package org.pxlab.stress.split;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;
import org.pxlab.stress.support.KnownUnsafeControl;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    A known-unsafe control: `split-brain` with `guard: faithful`, PyParallel's own persistence
    guard, which refuses a parallel item in a main list and a parallel thread's resize or clear
    of a main dict, and nothing else. A dict insert that needs no resize goes through, and when
    the context rolls back, the main dict holds a dangling reference. It is here to prove the
    harness sees undetected persistence (and use after rollback) where it happens;
    CompleteGuardRefusesPersistence claims its absence under the complete guard. A run in which
    it never fires is invalid (StressSuite fails it).

    The race (PersistenceRace, on a whole split-brain runtime: SplitBrainRig): a parallel
    context (actor1) begins a request, makes a list in it, stores d[key] = list into an
    unprotected main dict whose key is present, then ends the request (rollback, zeroing the
    list's memory); the main thread (actor2, with the GIL) reads d[key] meanwhile; the arbiter
    reads it after both.

    Outcomes (actor1's store, what main read, what the arbiter read after the rollback):
      stored, None, type 0            INTERESTING: main read before the store; afterwards the
                                      dict holds the rolled-back address, whose type word is 0.
      stored, parallel list, type 0   INTERESTING: main even read the live parallel list: a
                                      main-thread reference into a context, counted by nobody.
      stored, type 0, type 0          INTERESTING: main read the entry after the rollback: a
                                      use after rollback (it would follow a NULL type).
      refused, None, None             FORBIDDEN here: the faithful guard let this store through
                                      in pxlab's own tests; a refusal means it changed.
      others                          FORBIDDEN.
    Every sample should fire: the hole is deterministic; the race only decides what main sees.
 */
@JCStressTest
@Covers(hazards = {Hazard.UNDETECTED_PERSISTENCE, Hazard.USE_AFTER_ROLLBACK}, setup = "`split-brain` with `guard: faithful`")
@KnownUnsafeControl(hazard = "undetected persistence: dangling reference after rollback")
@Description("control: split-brain, guard: faithful; a parallel dict insert goes through and dangles after the rollback")
@Outcome(id = {"stored, None, type 0", "stored, parallel list, type 0", "stored, type 0, type 0"}, expect = ACCEPTABLE_INTERESTING,
        desc = "Undetected persistence: the main dict holds a rolled-back object (type word 0).")
@Outcome(id = "refused, None, None", expect = FORBIDDEN, desc = "The faithful guard refused a dict insert it is known to let through.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: the guard or the rollback misbehaved.")
@State
public class FaithfulGuardDanglingControl {
    private static final PersistenceRace RACE = new PersistenceRace(true);

    private final PersistenceRace.Board board = RACE.take();

    @Actor
    public void actor1(LLL_Result r) {
        r.r1 = RACE.persist(board);
    }

    @Actor
    public void actor2(LLL_Result r) {
        r.r2 = RACE.readAsMain(board);
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        RACE.judge(board, r);
    }
}
