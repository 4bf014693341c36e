package org.pxlab.stress.template;

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
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;
import org.pxlab.stress.support.SimulatedObjects;

/*
    The template for a refcount strategy's increments: the strategy named by
    -Dpxlab.stress.refcount=NAME (interlocked when unset), raced as InterlockedRefCountShared
    races interlocked. A strategy that claims isThreadSafe() is raced with no lock, so the claim
    is what is tested (the contract kit's PlainPosingAsAtomicRefCount claims it falsely); one that
    does not is raced under one GIL, as a configuration must use it.

    The race: one simulated object (the header a single-space configuration composes for the
    strategy, count 1); each actor does one Py_INCREF. The arbiter reads the count.

    Outcomes (the final reference count):
      3         both increments landed.
      2         FORBIDDEN: a lost refcount update; the object would be freed while a reference
                to it still exists.
      others    FORBIDDEN: the count was torn or corrupted.
 */
@JCStressTest
@Covers(hazards = Hazard.LOST_REFCOUNT_UPDATE, setup = "template: the refcount named by -Dpxlab.stress.refcount (default `interlocked`)")
@Description("refcount template (-Dpxlab.stress.refcount): two runtime threads Py_INCREF one shared object")
@Outcome(id = "3", expect = ACCEPTABLE, desc = "Both increments landed.")
@Outcome(id = "2", expect = FORBIDDEN, desc = "Lost refcount update.")
@Outcome(expect = FORBIDDEN, desc = "The count was torn or corrupted.")
@State
public class RefCountTemplateIncrements {
    private static final SimulatedObjects OBJECTS = new SimulatedObjects(TemplateSubject.refcount());
    private static final RefCountStrategy STRATEGY = OBJECTS.strategy();
    private static final TemplateSubject SUBJECT = new TemplateSubject(STRATEGY.isThreadSafe());

    private final long object = OBJECTS.take();

    @Actor
    public void actor1() {
        SUBJECT.enter(Actors.FIRST);
        try {
            STRATEGY.incref(object, Actors.FIRST);
        } finally {
            SUBJECT.exit(Actors.FIRST);
        }
    }

    @Actor
    public void actor2() {
        SUBJECT.enter(Actors.SECOND);
        try {
            STRATEGY.incref(object, Actors.SECOND);
        } finally {
            SUBJECT.exit(Actors.SECOND);
        }
    }

    @Arbiter
    public void arbiter(J_Result r) {
        r.r1 = STRATEGY.referenceCount(object);
        OBJECTS.give(object);
    }
}
