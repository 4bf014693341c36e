package org.pxlab.stress.gc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.RuntimeRig;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    StopTheWorldCollectionRace's claim, race and outcomes on a whole `free-threaded-3.13`
    runtime: the same `stop-the-world` collector, but over `biased` counts (the items and lists
    are owned by the rig's housekeeping thread, so the mover touches them as a non-owner, and
    the garbage it makes is its own) and with each pause draining every thread's merge queue
    before the collector counts. A collection racing the mover must still never free a live
    object or leave a count wrong. A move changes no count (pop hands the list's reference to
    the mover, append steals it) and the garbage is the mover's own, so this race queues
    nothing for a merge: a non-owner's queued decrement racing the pause that merges it is not
    raced here (BiasedLastReference races the merge queue with the strategy alone).

    Outcomes (a collection finished during the move, the collection freed garbage, the graph):
      *, *, 0    INTACT (true, *, 0: the two really raced, interesting).
      *, *, 1    FORBIDDEN: an item missing from both lists, or in both.
      *, *, 2    FORBIDDEN: a live item or list was freed.
      *, *, 3    FORBIDDEN: a live object's count is wrong.
 */
@JCStressTest
@Covers(hazards = Hazard.COLLECTION_RACING_MUTATORS, configurations = {"free-threaded-3.13"}, setup = "`stop-the-world` over `biased` counts on a whole `free-threaded-3.13` runtime")
@Description("stop-the-world collection on a free-threaded-3.13 runtime (biased counts), racing a mutator that moves an item between two lists")
@Outcome(id = {"true, true, 0", "true, false, 0"}, expect = ACCEPTABLE_INTERESTING,
        desc = "A collection finished while the mover worked; the graph is intact.")
@Outcome(id = {"false, true, 0", "false, false, 0"}, expect = ACCEPTABLE,
        desc = "The collection ran before or after the move; the graph is intact (garbage it did not see survives).")
@Outcome(id = {"true, true, 1", "true, false, 1", "false, true, 1", "false, false, 1"}, expect = FORBIDDEN,
        desc = "An item is missing from both lists, or in both.")
@Outcome(id = {"true, true, 2", "true, false, 2", "false, true, 2", "false, false, 2"}, expect = FORBIDDEN,
        desc = "A live object was freed.")
@Outcome(expect = FORBIDDEN, desc = "A live object's count is wrong.")
@State
public class FreeThreadedCollectionRace {
    private static final RuntimeRig RIG = new RuntimeRig("free-threaded-3.13");

    private final long[] graph;

    public FreeThreadedCollectionRace() {
        synchronized (Housekeeping.LOCK) {
            graph = RIG.nextGraph();
        }
    }

    @Actor
    public void actor1(ZZI_Result r) {
        r.r1 = RIG.moveAsMover(graph);
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
