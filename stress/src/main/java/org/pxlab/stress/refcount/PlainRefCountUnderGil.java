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
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.Pool;
import org.pxlab.stress.support.SimulatedObjects;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: CPython 3.12's reference count (`plain`: a load, an add and a store on
    ob_refcnt, no atomics) is safe for objects that threads share, provided every thread
    holds the GIL while it counts. That is the `gil` configuration's whole safety argument
    for its refcounts, and the reason the registry refuses `plain` with any sync discipline
    that does not serialise mutators.

    The race: one simulated object (header composed for `plain`, count initialised to 1) is
    shared by two runtime threads. Each attaches to the same GIL, does Py_INCREF, and
    detaches. The arbiter reads the count when both are done.

    Outcomes (the final reference count):
      3         both increments landed: one thread's store happened-before the other's load.
      2         FORBIDDEN: an increment was lost. Under the GIL this can only mean that both
                threads were counting at once, i.e. the GIL failed; the same race without the
                GIL is PlainRefCountUnlockedControl, where it is expected and must be seen.
      others    FORBIDDEN: the count was torn or corrupted.

    The GIL per state comes from a pool and the object from the shared slot pool, as in
    GilMutualExclusion (jcstress makes a new state for every sample).
 */
@JCStressTest
@Covers(hazards = Hazard.LOST_REFCOUNT_UPDATE, configurations = {"gil"}, setup = "`plain` refcounts under the `gil`")
@Description("plain refcount under the gil: two runtime threads Py_INCREF one shared object, each holding the GIL")
@Outcome(id = "3", expect = ACCEPTABLE, desc = "Both increments landed, one after the other.")
@Outcome(id = "2", expect = FORBIDDEN, desc = "Lost refcount update: both threads counted at once despite the GIL.")
@Outcome(expect = FORBIDDEN, desc = "The count was torn or corrupted.")
@State
public class PlainRefCountUnderGil {
    private static final SimulatedObjects OBJECTS = new SimulatedObjects("plain");
    private static final RefCountStrategy PLAIN = OBJECTS.strategy();
    private static final Pool<SyncDiscipline> GILS = new Pool<>(() -> Components.sync("gil"));

    private final SyncDiscipline gil = GILS.take();
    private final long object = OBJECTS.take();

    @Actor
    public void actor1() {
        increfHoldingGil(Actors.FIRST);
    }

    @Actor
    public void actor2() {
        increfHoldingGil(Actors.SECOND);
    }

    private void increfHoldingGil(ThreadContext thread) {
        gil.attach(thread);
        try {
            PLAIN.incref(object, thread);
        } finally {
            gil.detach(thread);
        }
    }

    @Arbiter
    public void arbiter(J_Result r) {
        r.r1 = PLAIN.referenceCount(object);
        OBJECTS.give(object);
        GILS.give(gil);
    }
}
