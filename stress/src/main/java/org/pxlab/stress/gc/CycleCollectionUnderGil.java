package org.pxlab.stress.gc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.RuntimeRig;

/*
    The claim: on the `gil` configuration, the `cycle` collector (CPython 3.12's generational
    cycle GC) never runs while a mutator is between two eval-breaker checks: the collection
    runs on a thread that holds the GIL, so it is excluded from every other thread's
    simulated code, and a mutator's half-done move is never seen. This is what lets the cycle
    collector be written with no world stop and no locks (gcmodule.c takes none), and why
    StopTheWorldCollectionRace needs a stop on fine-grained, where nothing else excludes it.

    The race (RuntimeRig, the runtime and its borrowed threads; StopTheWorldCollectionRace's
    graphs and move): actor1 attaches the mover's runtime thread (takes the GIL), reads the
    collector's count of finished collections, moves one item from the fuller of its graph's
    two lists to the other (list.pop, then list.append stealing the reference), makes one
    cyclic garbage list, reads the count again, and only then passes an eval-breaker check
    (JUMP_BACKWARD, where the GIL may change hands if actor2 asked for it) and detaches.
    actor2 attaches the collecting thread (waits for the GIL) and runs gc.collect(2).

    Outcomes (a collection finished between the mover's two reads, the collection freed
    garbage, the graph):
      false, *, 0   ACCEPTABLE: the collection ran before or after the mover held the GIL (or
                    while it was parked at its check); the graph is intact. false, true: it
                    found and freed cyclic garbage of earlier samples.
      true, *, *    FORBIDDEN: a collection finished while the mover held the GIL between two
                    checks: the GIL did not exclude the collector.
      *, *, 1..3    FORBIDDEN: an item missing or doubled, a live object freed, a count wrong
                    (RuntimeRig.check).
 */
@JCStressTest
@Covers(hazards = Hazard.COLLECTION_RACING_MUTATORS, configurations = {"gil"}, setup = "`cycle` on a whole `gil` runtime")
@Description("gil: the cycle collector racing a mutator that moves an item between two lists; the GIL excludes it")
@Outcome(id = {"false, true, 0", "false, false, 0"}, expect = ACCEPTABLE,
        desc = "The collection ran before or after the mover's hold of the GIL; the graph is intact.")
@Outcome(id = {"true, true, 0", "true, false, 0"}, expect = FORBIDDEN,
        desc = "A collection finished while the mover held the GIL: the GIL did not exclude the collector.")
@Outcome(expect = FORBIDDEN, desc = "An item missing or doubled, a live object freed, or a count wrong.")
@State
public class CycleCollectionUnderGil {
    private static final RuntimeRig RIG = new RuntimeRig("gil");

    private final long[] graph;

    public CycleCollectionUnderGil() {
        synchronized (Housekeeping.LOCK) {
            graph = RIG.nextGraph();
        }
    }

    @Actor
    public void actor1(ZZI_Result r) {
        ThreadContext t = RIG.mover.thread();
        RIG.runtime.attach(t);
        try {
            long collectionsBefore = RIG.collector.statistics().collections();
            RIG.moveItemAndMakeGarbage(graph, t);
            r.r1 = RIG.collector.statistics().collections() != collectionsBefore;
            RIG.mover.jumpBackward();
        } finally {
            RIG.runtime.detach(t);
        }
    }

    @Actor
    public void actor2(ZZI_Result r) {
        r.r2 = RIG.collectAsCollector();
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        synchronized (Housekeeping.LOCK) {
            r.r3 = RIG.check(graph);
        }
    }
}
