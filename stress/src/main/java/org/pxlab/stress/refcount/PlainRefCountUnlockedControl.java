package org.pxlab.stress.refcount;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
import org.pxlab.stress.support.KnownUnsafeControl;
import org.pxlab.stress.support.SimulatedObjects;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    A known-unsafe control: `plain` refcounts shared by two threads with no lock, as a
    configuration declared `unsafe: true` would run them (the registry refuses the
    combination otherwise). It is here to prove that the harness can see a lost refcount
    update: PlainRefCountUnderGil claims that a lost update is "not observed in N samples",
    and that claim is worth something only if the same N samples, without the GIL, do show
    it. A run in which this control never fires is invalid (StressSuite fails it).

    The race: one simulated object (count 1) shared by two runtime threads, each doing
    Py_INCREF with no lock: load the low 32 bits of ob_refcnt, add one, store. The arbiter
    reads the count when both are done.

    Outcomes (the final reference count):
      3         both increments landed (the threads happened not to overlap).
      2         INTERESTING, and the point of the control: both loaded 1 and both stored 2,
                so one reference is not counted. In a real interpreter the object is then
                freed while a reference to it still exists: a use after free.
      others    FORBIDDEN: a plain 32-bit store cannot produce any other value.
 */
@JCStressTest
@Covers(hazards = Hazard.LOST_REFCOUNT_UPDATE, setup = "`plain` refcounts, no lock")
@KnownUnsafeControl(hazard = "lost refcount update")
@Description("control: plain refcount with no lock; two runtime threads Py_INCREF one shared object (must lose updates)")
@Outcome(id = "3", expect = ACCEPTABLE, desc = "Both increments landed (the threads did not overlap).")
@Outcome(id = "2", expect = ACCEPTABLE_INTERESTING, desc = "Lost refcount update: the hazard this control must show.")
@Outcome(expect = FORBIDDEN, desc = "The count was torn or corrupted.")
@State
public class PlainRefCountUnlockedControl {
    private static final SimulatedObjects OBJECTS = new SimulatedObjects("plain");
    private static final RefCountStrategy PLAIN = OBJECTS.strategy();

    private final long object = OBJECTS.take();

    @Actor
    public void actor1() {
        PLAIN.incref(object, Actors.FIRST);
    }

    @Actor
    public void actor2() {
        PLAIN.incref(object, Actors.SECOND);
    }

    @Arbiter
    public void arbiter(J_Result r) {
        r.r1 = PLAIN.referenceCount(object);
        OBJECTS.give(object);
    }
}
