package org.pxlab.stress.config;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: on a whole `fine-grained` runtime, two runtime threads appending to one shared
    list through the object model (list.append, as a workload's code does) never lose an
    append: the per-object lock makes the two read-modify-writes of the list's size and items
    one after the other, whichever wins.

    `fine-grained` reads items optimistically (no lock on the reader's side), but appends, like
    every list mutation, take the list's header mutex (PEP 703's critical section, list_append
    is @critical_section in CPython 3.13t), then grow the items block with freeDelayed so an
    optimistic reader never reads a freed block.

    The race (SharedListAppends; RuntimeRig builds the runtime once per JVM and lends its
    threads): each actor attaches its runtime thread, makes a new empty list as its item,
    appends it to the state's shared list (stealing its reference), passes an eval-breaker
    check and detaches. The arbiter checks the shared list and empties it.

    Outcomes (the list's size, the verdict):
      2, 0     ACCEPTABLE: both items in the list, once each, alive, one reference each.
      1, *     FORBIDDEN: a lost append (both threads wrote the same slot or the same size).
      *, 1     FORBIDDEN: an item missing or doubled.
      *, 2..3  FORBIDDEN: an item freed, or its count wrong.
 */
@JCStressTest
@Covers(hazards = Hazard.MUTUAL_EXCLUSION, configurations = {"fine-grained"}, setup = "whole `fine-grained` runtime, two threads appending to one list")
@Description("fine-grained: two runtime threads append to one shared list through the object model")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "Both appends landed; the items are alive with one reference each.")
@Outcome(id = {"1, 0", "1, 1", "1, 2", "1, 3"}, expect = FORBIDDEN, desc = "Lost append: the list holds one item.")
@Outcome(expect = FORBIDDEN, desc = "An item missing, doubled, freed or miscounted.")
@State
public class FineGrainedListAppends {
    private static final SharedListAppends RACE = new SharedListAppends("fine-grained");

    private final SharedListAppends.Shared shared = RACE.take();

    @Actor
    public void actor1() {
        RACE.first(shared);
    }

    @Actor
    public void actor2() {
        RACE.second(shared);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        int[] out = new int[2];
        RACE.judge(shared, out);
        r.r1 = out[0];
        r.r2 = out[1];
    }
}
