package org.pxlab.stress.allocator;

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
    A known-unsafe control for ThreadShardedReuseAfterQsbr: the same reader and writer on
    `thread-sharded`, but the writer retires the unpublished block with free, at once, as an
    allocator without QSBR (or a container that forgot to use _PyMem_FreeDelayed) would. A
    reader that loaded the pointer just before the unpublishing store then reads a freed
    block. It is here to prove that these samples can catch a block freed under an optimistic
    reader; a run in which it never fires is invalid (StressSuite fails it).

    The race (RetiredBlockReads): the reader attaches, loads the slot, reads the block's
    words 1..7 eight times over and detaches; the writer unpublishes the block and frees it.
    Freeing poisons the block at once (the run is poisoned), and only the block's owner heap
    (the housekeeping thread's, for a later state) can reuse it, so the reader sees poison.

    Outcomes (what the reader saw):
      unpublished              the writer unpublished first; the reader read nothing.
      intact                   the reader finished before the free (no overlap).
      freed under the reader   INTERESTING, and the point of the control: the reader read
                               poison from a block it still held. In the runtime it would
                               try-incref a freed object, or follow a freed items array.
      other content            INTERESTING too: neither tag nor poison (a block reused under
                               the reader); not expected here, since no one reuses it in a
                               sample, but the same hazard.
 */
@JCStressTest
@Covers(hazards = Hazard.REUSE_UNDER_OPTIMISTIC_READER, setup = "`thread-sharded`, immediate `free` under a reader")
@KnownUnsafeControl(hazard = "block freed under an optimistic reader")
@Description("control: thread-sharded, the writer frees the unpublished block at once (no QSBR); the reader must catch it freed")
@Outcome(id = RetiredBlockReads.UNPUBLISHED, expect = ACCEPTABLE, desc = "The block was unpublished before the reader loaded the slot.")
@Outcome(id = RetiredBlockReads.INTACT, expect = ACCEPTABLE, desc = "The reader finished before the free.")
@Outcome(id = RetiredBlockReads.FREED, expect = ACCEPTABLE_INTERESTING, desc = "Freed under the reader: the hazard this control must show.")
@Outcome(id = RetiredBlockReads.OTHER, expect = ACCEPTABLE_INTERESTING, desc = "Reused under the reader: the same hazard.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class ThreadShardedImmediateFreeControl {
    private static final RetiredBlockReads RACE = new RetiredBlockReads(false);

    private final long slot = RACE.prepare();

    @Actor
    public void actor1(L_Result r) {
        r.r1 = RACE.read(slot);
    }

    @Actor
    public void actor2() {
        RACE.retire(slot);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        RACE.release(slot);
    }
}
