package org.pxlab.stress.template;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.SimulatedObjects;

/*
    The template for a refcount strategy's last reference: the strategy named by
    -Dpxlab.stress.refcount=NAME (interlocked when unset), raced as InterlockedLastReference
    races interlocked, with no lock if it claims to be thread safe, else under one GIL.

    The race: an object holding two references (made with one, one Py_INCREF in the
    constructor); each actor drops one. decref answers whether that drop removed the last
    reference, i.e. whether the caller must deallocate. The arbiter reads the count.

    Outcomes (actor1's answer, actor2's answer, the final count):
      true, false, 0 / false, true, 0   exactly one drop removed the last reference.
      true, true, *                     FORBIDDEN: freed twice.
      false, false, *                   FORBIDDEN: freed never (a leak; with a lost update, the
                                        count stays at 1).
      others                            FORBIDDEN: the count was torn or corrupted.

    A strategy that defers (biased's merge queue) answers false to a non-owner and frees later:
    it needs the merge the BiasedLastReference test drives, not this template.
 */
@JCStressTest
@Covers(hazards = Hazard.FREED_TWICE_OR_NEVER, setup = "template: the refcount named by -Dpxlab.stress.refcount (default `interlocked`)")
@Description("refcount template (-Dpxlab.stress.refcount): two runtime threads drop the last two references of one object")
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "Exactly one thread removed the last reference.")
@Outcome(id = {"true, true, 0", "true, true, 1"}, expect = FORBIDDEN, desc = "Freed twice: both decrements reported the last reference.")
@Outcome(id = {"false, false, 0", "false, false, 1"}, expect = FORBIDDEN, desc = "Freed never: no decrement reported the last reference.")
@Outcome(expect = FORBIDDEN, desc = "The count was torn or corrupted.")
@State
public class RefCountTemplateLastReference {
    private static final SimulatedObjects OBJECTS = new SimulatedObjects(TemplateSubject.refcount());
    private static final RefCountStrategy STRATEGY = OBJECTS.strategy();
    private static final TemplateSubject SUBJECT = new TemplateSubject(STRATEGY.isThreadSafe());

    private final long object = OBJECTS.take();

    public RefCountTemplateLastReference() {
        synchronized (Housekeeping.LOCK) {
            STRATEGY.incref(object, Housekeeping.CONTEXT);
        }
    }

    @Actor
    public void actor1(ZZJ_Result r) {
        SUBJECT.enter(Actors.FIRST);
        try {
            r.r1 = STRATEGY.decref(object, Actors.FIRST);
        } finally {
            SUBJECT.exit(Actors.FIRST);
        }
    }

    @Actor
    public void actor2(ZZJ_Result r) {
        SUBJECT.enter(Actors.SECOND);
        try {
            r.r2 = STRATEGY.decref(object, Actors.SECOND);
        } finally {
            SUBJECT.exit(Actors.SECOND);
        }
    }

    @Arbiter
    public void arbiter(ZZJ_Result r) {
        r.r3 = STRATEGY.referenceCount(object);
        OBJECTS.give(object);
    }
}
