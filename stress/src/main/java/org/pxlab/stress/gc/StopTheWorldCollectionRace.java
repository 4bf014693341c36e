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
    The claim: on a `fine-grained` runtime, a `stop-the-world` collection racing a mutator that
    moves an item between two lists never frees a live object. Garbage may survive a collection
    (it ran before the garbage was made); the live graph may not lose anything.

    Why this race: the collector decides what is live from counts. It subtracts the references
    each container holds from each object's count (update_refs) and keeps what still has a
    reference from outside (a frame, a Java local of the mutator, the rig). An item in the
    middle of a move has been popped from one list and not yet appended to the other: its one
    reference is a local of the mover's, which no list accounts for. If the collector could
    look at the heap then, or while a list's size, items block and the item's count disagree
    (a resize copying items, an append between storing the item and its size), it could
    count the item wrongly. The world stop (CPython 3.13t's _PyEval_StopTheWorld) is what
    forbids that: the mover is stopped only at an eval-breaker check or while detached, never
    inside a move.

    The runtime is built once per JVM and its threads are borrowed (RuntimeRig, which says
    why); the states reuse four small graphs in turn instead of allocating one each, because a
    collection walks the whole heap. Each sample therefore races on one graph while the
    collection sees all four, and the runtime's own bootstrap heap.

    The race: actor1 attaches the mover's runtime thread, moves one item from the fuller of its
    graph's two lists to the other (list.pop, then list.append stealing the reference, each in
    its list's critical section), makes one cyclic garbage list (a list that contains itself:
    only a collection can free it), passes an eval-breaker check (JUMP_BACKWARD, where a
    requested stop suspends it) and detaches. It reports whether a collection finished while it
    worked. actor2 attaches the collecting thread, runs gc.collect() (which stops the world, so
    it waits for the mover to reach its check or detach) and reports whether it freed anything.
    The arbiter checks the graph with no actor running.

    Outcomes (a collection finished during the move, the collection freed garbage, the graph):
      *, *, 0    INTACT: every item in exactly one list, held by it alone, alive; both lists
                 alive with the rig's one reference. A collection that overlapped the mover's
                 sample (true, *, 0) is the interesting case: the two really raced.
      *, *, 1    FORBIDDEN: an item is missing from both lists (or is in both).
      *, *, 2    FORBIDDEN: a live item or list was freed (its type word no longer names list).
      *, *, 3    FORBIDDEN: a live object's count is wrong.
 */
@JCStressTest
@Covers(hazards = Hazard.COLLECTION_RACING_MUTATORS, configurations = {"fine-grained"}, setup = "`stop-the-world` on a whole `fine-grained` runtime")
@Description("stop-the-world collection on a fine-grained runtime, racing a mutator that moves an item between two lists")
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
public class StopTheWorldCollectionRace {
    private static final RuntimeRig RIG = new RuntimeRig("fine-grained");

    private final long[] graph;

    public StopTheWorldCollectionRace() {
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
