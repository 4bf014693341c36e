package org.pxlab.stress.allocator;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: the `locked-global` allocator is thread safe (isThreadSafe() is true, so the
    registry lets configurations without a GIL share it): two blocks live at the same time
    never overlap, whichever thread allocates and whichever frees them.

    The component: pymalloc behind one global lock (a WordMutex, spin then park), as a
    fine-grained-locking CPython would share its allocator. Every allocate and free
    takes the lock, so the two actors' calls serialise; the race checks that the lock
    really does, and that a block freed by one thread and handed to the other is never
    still held by the first.

    The race (CrossThreadFrees): one allocator instance, made by name through the registry,
    shared by every state as a configuration's space shares it. Each sample, actor1 frees the
    64-byte block actor2 allocated in the previous sample of its holder pair and actor2 frees
    actor1's (cross-thread frees, both at once), then each allocates a block, writes its tag
    into the first and last words and reads them back. The arbiter, when both are done,
    checks that the two live blocks are apart and still hold their owners' tags. An allocator
    may well hand one actor the block the other has just freed: that is reuse, not overlap.

    Outcomes:
      disjoint     the two live blocks are apart and each holds its owner's tags.
      overlap      FORBIDDEN: two live blocks share bytes (one block handed to two owners).
      clobbered    FORBIDDEN: apart, but a tag was overwritten, at once or by the arbiter's
                   time: a thread wrote into a block it did not own (a free list link or
                   poison written into a live block: a block freed while live, or freed twice).
      others       FORBIDDEN (no other value is reported).
 */
@JCStressTest
@Covers(hazards = {Hazard.OVERLAPPING_ALLOCATIONS, Hazard.CROSS_THREAD_FREE}, configurations = {"fine-grained-global"}, setup = "`locked-global` shared")
@Description("locked-global: cross-thread frees and allocations of two threads; live blocks never overlap")
@Outcome(id = CrossThreadFrees.DISJOINT, expect = ACCEPTABLE, desc = "The two live blocks are apart and keep their owners' tags.")
@Outcome(id = CrossThreadFrees.OVERLAP, expect = FORBIDDEN, desc = "Two live blocks share bytes: memory handed to two owners.")
@Outcome(id = CrossThreadFrees.CLOBBERED, expect = FORBIDDEN, desc = "A live block's tag was overwritten by another thread.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class LockedGlobalNoOverlap {
    private static final CrossThreadFrees RACE = new CrossThreadFrees(Components.allocator("locked-global"));

    private final CrossThreadFrees.Held held = RACE.take();

    @Actor
    public void actor1() {
        RACE.first(held, Actors.FIRST);
    }

    @Actor
    public void actor2() {
        RACE.second(held, Actors.SECOND);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = RACE.judge(held);
    }
}
