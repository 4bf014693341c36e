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
    The claim, the race and the outcomes of FineGrainedListAppends, on a whole
    `fine-grained-global` runtime: every container's lock is taken on reads as well, and both
    appends allocate (the item, a grown items block) from one locked pymalloc (locked-global).
    Outcomes (the list's size, the verdict): 2, 0 ACCEPTABLE; a lost append (1, *), an item
    missing, doubled, freed or miscounted FORBIDDEN.
 */
@JCStressTest
@Covers(hazards = Hazard.MUTUAL_EXCLUSION, configurations = {"fine-grained-global"}, setup = "whole `fine-grained-global` runtime, two threads appending to one list")
@Description("fine-grained-global: two runtime threads append to one shared list through the object model")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "Both appends landed; the items are alive with one reference each.")
@Outcome(id = {"1, 0", "1, 1", "1, 2", "1, 3"}, expect = FORBIDDEN, desc = "Lost append: the list holds one item.")
@Outcome(expect = FORBIDDEN, desc = "An item missing, doubled, freed or miscounted.")
@State
public class FineGrainedGlobalListAppends {
    private static final SharedListAppends RACE = new SharedListAppends("fine-grained-global");

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
