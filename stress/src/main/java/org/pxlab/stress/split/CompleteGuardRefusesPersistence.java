package org.pxlab.stress.split;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: in the `split-brain` configuration (complete persistence guard), parallel code
    can never persist one of its objects into the main heap: the store is refused before
    anything changes, so no main object ever holds a reference into a context's heap, and a
    rollback cannot leave one dangling. PyParallel's rule "don't persist parallel objects",
    enforced rather than trusted.

    The race (PersistenceRace, on a whole split-brain runtime: SplitBrainRig): a parallel
    context (actor1) begins a request, makes a list in it and stores it into an unprotected
    main dict, d[key] = list, then ends the request (rollback); the main thread (actor2, with
    the GIL) reads d[key] meanwhile; the arbiter reads it again after both. The control
    FaithfulGuardDanglingControl runs the same race under PyParallel's own guard and shows the
    dangling reference; so "not observed" here means these samples could have shown it.

    Outcomes (actor1's store, what main read, what the arbiter read after the rollback):
      refused, None, None   the only acceptable one: the guard refused the store (a parallel
                            thread may not change an unprotected main object), nothing changed.
      stored, *, *          FORBIDDEN: the store went through (a parallel list in a main dict);
                            main may have read it live ("parallel list") or already rolled back
                            ("type 0"), and after the rollback the dict holds a dangling
                            reference ("type 0").
      others                FORBIDDEN.
 */
@JCStressTest
@Covers(hazards = {Hazard.UNDETECTED_PERSISTENCE, Hazard.USE_AFTER_ROLLBACK}, configurations = {"split-brain"}, setup = "whole `split-brain` runtime, complete guard")
@Description("split-brain, complete guard: a parallel context stores a request's list into a main dict and rolls back; main reads")
@Outcome(id = "refused, None, None", expect = ACCEPTABLE, desc = "The guard refused the store; the main dict never saw the parallel list.")
@Outcome(id = {"stored, None, type 0", "stored, parallel list, type 0", "stored, type 0, type 0"}, expect = FORBIDDEN,
        desc = "Undetected persistence: a parallel object in a main dict, dangling after the rollback.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: the guard or the rollback misbehaved.")
@State
public class CompleteGuardRefusesPersistence {
    private static final PersistenceRace RACE = new PersistenceRace(false);

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
