package org.pxlab.stress.template;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.stress.allocator.CrossThreadFrees;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The template for an allocator: any allocator the registry knows, named by
    -Dpxlab.stress.allocator=NAME (thread-sharded when unset), raced as ThreadShardedNoOverlap
    races thread-sharded. One instance made by name, shared by every state as a configuration's
    space shares it. An allocator that says it is not thread safe is raced under one GIL, as a
    configuration must use it; one that says it is thread safe is raced with no lock at all,
    so a false claim shows here.

    The race (CrossThreadFrees): each sample, actor1 frees the 64-byte block actor2 allocated
    in the previous sample of its holder pair and actor2 frees actor1's (cross-thread frees,
    both at once), then each allocates a block and tags its first and last words. The arbiter
    checks that the two live blocks are apart and still tagged.

    Outcomes:
      disjoint     the two live blocks are apart and each holds its owner's tags.
      overlap      FORBIDDEN: two live blocks share bytes (one block handed to two owners:
                   the contract kit's OverlappingAllocator does exactly this).
      clobbered    FORBIDDEN: apart, but a tag was overwritten: a block freed while live,
                   freed twice, or free-list metadata written into a live block.
      others       FORBIDDEN (no other value is reported).
 */
@JCStressTest
@Covers(hazards = {Hazard.OVERLAPPING_ALLOCATIONS, Hazard.CROSS_THREAD_FREE},
        setup = "template: the allocator named by -Dpxlab.stress.allocator (default `thread-sharded`)")
@Description("allocator template (-Dpxlab.stress.allocator): cross-thread frees racing allocations; live blocks never overlap")
@Outcome(id = CrossThreadFrees.DISJOINT, expect = ACCEPTABLE, desc = "The two live blocks are apart and keep their owners' tags.")
@Outcome(id = CrossThreadFrees.OVERLAP, expect = FORBIDDEN, desc = "Two live blocks share bytes: memory handed to two owners.")
@Outcome(id = CrossThreadFrees.CLOBBERED, expect = FORBIDDEN, desc = "A live block's tag was overwritten by another thread.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class AllocatorTemplateNoOverlap {
    private static final Allocator ALLOCATOR = Components.allocator(TemplateSubject.allocator());
    private static final TemplateSubject SUBJECT = new TemplateSubject(ALLOCATOR.isThreadSafe());
    private static final CrossThreadFrees RACE = new CrossThreadFrees(ALLOCATOR);

    private final CrossThreadFrees.Held held = RACE.take();

    @Actor
    public void actor1() {
        SUBJECT.enter(Actors.FIRST);
        try {
            RACE.first(held, Actors.FIRST);
        } finally {
            SUBJECT.exit(Actors.FIRST);
        }
    }

    @Actor
    public void actor2() {
        SUBJECT.enter(Actors.SECOND);
        try {
            RACE.second(held, Actors.SECOND);
        } finally {
            SUBJECT.exit(Actors.SECOND);
        }
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = RACE.judge(held);
    }
}
