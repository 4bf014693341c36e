package org.pxlab.stress.split;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.pxlab.stress.support.KnownUnsafeControl;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    A known-unsafe control: split-brain's callIntoMain overlap on an unprotected main dict. A
    parallel context holds a pointer to a main value (it looked it up earlier; parallel code
    counts nothing, so the pointer keeps nothing alive) and reads it, while the main thread,
    running a call the context made into main, deletes the value's key: the dict held the last
    counted reference, and the value is freed under the parallel reader. PyParallel's answer
    is a usage rule (the main thread must not free what parallel code reads; protect shared
    state), and this control shows what breaking it does. ProtectedRemovalUnderParallelReader
    claims the hazard's absence once the rule is kept. A run in which this control never fires
    is invalid (StressSuite fails it).

    The race (MainRemovalRace, on a whole split-brain runtime: SplitBrainRig): actor1 reads
    the value's type word and body eight times over, with no lock (the dict has none); actor2,
    the main thread with the GIL, deletes the key, and pymalloc frees and poisons the value.
    The freed block stays mapped (pymalloc keeps its arenas until release) and is not reused
    during a sample, so the reader sees poison, never a crash.

    Outcomes (what the parallel reader saw):
      intact                   the reader finished before main freed the value.
      freed under the reader   INTERESTING, and the point of the control: poison in a value
                               parallel code still reads (a use after free; in the runtime it
                               would follow a poisoned type pointer).
      torn                     INTERESTING too: the value changed under the reader.
      absent                   FORBIDDEN: the unprotected reader does not look the key up.
 */
@JCStressTest
@Covers(hazards = Hazard.MAIN_FREE_UNDER_PARALLEL_READER, setup = "`split-brain`, unprotected dict read by parallel code")
@KnownUnsafeControl(hazard = "main-side free under a parallel reader")
@Description("control: split-brain, unprotected main dict; main deletes a value parallel code is reading (callIntoMain overlap)")
@Outcome(id = MainRemovalRace.INTACT, expect = ACCEPTABLE, desc = "The reader finished before main freed the value.")
@Outcome(id = MainRemovalRace.FREED, expect = ACCEPTABLE_INTERESTING, desc = "Main-side free under a parallel reader: the hazard this control must show.")
@Outcome(id = MainRemovalRace.TORN, expect = ACCEPTABLE_INTERESTING, desc = "The value changed under the parallel reader.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class UnprotectedRemovalControl {
    private static final MainRemovalRace RACE = new MainRemovalRace(false);

    private final MainRemovalRace.Board board = RACE.take();

    @Actor
    public void actor1(L_Result r) {
        r.r1 = RACE.read(board);
    }

    @Actor
    public void actor2() {
        RACE.removeAsMain(board);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        RACE.give(board);
    }
}
