package org.pxlab.stress.refcount;

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
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.SimulatedObjects;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: with `interlocked` refcounts, when two threads drop the last two references to
    a shared object at once, exactly one of them is told to deallocate it (decref returns
    true). Two would be a double free; none, a leak. This is the decrement side of the lost
    update that InterlockedRefCountShared races on the increment side.

    The race: one simulated object whose count is 2 (initialised to 1, one more increment
    before the race, under the housekeeping lock). Each of two runtime threads calls
    Py_DECREF once, with no lock, and reports whether it was told to deallocate. The arbiter
    reads the count when both are done.

    Outcomes (actor1 deallocates, actor2 deallocates, final count):
      true, false, 0    actor1's decrement removed the last reference.
      false, true, 0    actor2's did.
      true, true, *     FORBIDDEN: freed twice (both saw the count reach zero).
      false, false, *   FORBIDDEN: freed never (a decrement was lost; the object leaks, or
                        with a later increment, is used after a free nobody made).
      others            FORBIDDEN: a count other than 0 after two decrements of 2.
 */
@JCStressTest
@Covers(hazards = Hazard.FREED_TWICE_OR_NEVER, configurations = {"fine-grained", "fine-grained-global"}, setup = "`interlocked` refcounts, no lock")
@Description("interlocked refcount, no lock: two runtime threads drop the last two references of one object")
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "Exactly one thread removed the last reference.")
@Outcome(id = {"true, true, 0", "true, true, 1"}, expect = FORBIDDEN, desc = "Freed twice: both decrements reported the last reference.")
@Outcome(id = {"false, false, 0", "false, false, 1"}, expect = FORBIDDEN, desc = "Freed never: no decrement reported the last reference.")
@Outcome(expect = FORBIDDEN, desc = "The count was torn or corrupted.")
@State
public class InterlockedLastReference {
    private static final SimulatedObjects OBJECTS = new SimulatedObjects("interlocked");
    private static final RefCountStrategy INTERLOCKED = OBJECTS.strategy();

    private final long object = OBJECTS.take();

    public InterlockedLastReference() {
        synchronized (Housekeeping.LOCK) {
            INTERLOCKED.incref(object, Housekeeping.CONTEXT);
        }
    }

    @Actor
    public void actor1(ZZJ_Result r) {
        r.r1 = INTERLOCKED.decref(object, Actors.FIRST);
    }

    @Actor
    public void actor2(ZZJ_Result r) {
        r.r2 = INTERLOCKED.decref(object, Actors.SECOND);
    }

    @Arbiter
    public void arbiter(ZZJ_Result r) {
        r.r3 = INTERLOCKED.referenceCount(object);
        OBJECTS.give(object);
    }
}
