package org.pxlab.stress.split;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: in `split-brain`, a main object that main code changes while parallel code
    reads it is safe once it is protected (async.protect): reads and stores of a protected
    object run in its critical section, which takes its lock (and, from a parallel thread, the
    main role, i.e. the GIL, first). A parallel reader that reads inside the section sees the
    value whole or not at all: never freed under it, never torn. The usage rule: what the
    reader needs after the section it must copy (or count, as main) inside it.

    The race (MainRemovalRace, on a whole split-brain runtime: SplitBrainRig): a protected
    main dict binds a key to a main str whose only reference is the dict's. Parallel code
    (actor1) enters the dict's critical section, looks the key up and reads the value's type
    word and body eight times over; the main thread (actor2, holding the GIL) deletes the key,
    which frees the value. UnprotectedRemovalControl runs the race without protection and shows
    the value freed under the reader; so "not observed" here means these samples could have
    shown it.

    Outcomes (what the parallel reader saw):
      absent                   main deleted first; the reader found no value.
      intact                   the reader read the value whole; main deleted it afterwards.
      freed under the reader   FORBIDDEN: poison in the value while the reader held the lock:
                               main freed it inside the reader's critical section.
      torn                     FORBIDDEN: the value changed under the reader.
 */
@JCStressTest
@Covers(hazards = Hazard.MAIN_FREE_UNDER_PARALLEL_READER, configurations = {"split-brain"}, setup = "whole `split-brain` runtime, `async.protect`ed dict")
@Description("split-brain, async.protect: main deletes a protected dict's value while parallel code reads it in the dict's critical section")
@Outcome(id = MainRemovalRace.ABSENT, expect = ACCEPTABLE, desc = "Main deleted first: the reader found no value.")
@Outcome(id = MainRemovalRace.INTACT, expect = ACCEPTABLE, desc = "The reader read the value whole before main deleted it.")
@Outcome(id = MainRemovalRace.FREED, expect = FORBIDDEN, desc = "Main-side free under a parallel reader, despite the lock.")
@Outcome(id = MainRemovalRace.TORN, expect = FORBIDDEN, desc = "Torn read: the value changed under the reader's lock.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class ProtectedRemovalUnderParallelReader {
    private static final MainRemovalRace RACE = new MainRemovalRace(true);

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
