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
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: on `thread-sharded`, a block retired through freeDelayed (CPython 3.13t's
    _PyMem_FreeDelayed, used for a list's items array or a dict's keys table replaced while
    other threads may read them without a lock) stays allocated and unchanged until every
    attached thread has passed a quiescent point. That is what makes the free-threaded build's
    optimistic reads (load ob_item, try-incref, re-check) safe, and so the `fine-grained`
    configurations' lock-free reads.

    The race (RetiredBlockReads): an optimistic reader (actor1) attaches, loads the pointer
    a slot publishes, and reads the block eight times over before it detaches (its quiescent
    point); a writer (actor2) unpublishes the block, retires it through freeDelayed, and
    reports a quiescent point of its own (where due delayed frees are carried out). The
    control ThreadShardedImmediateFreeControl runs the same race with free in place of
    freeDelayed and shows the reader catching the block freed; so "not observed" here means
    the same samples could have shown it.

    Outcomes (what the reader saw):
      unpublished              the writer unpublished first; the reader read nothing.
      intact                   the reader read the block, and it held its tag throughout,
                               whether or not the writer had already retired it.
      freed under the reader   FORBIDDEN: poison in the block while the reader, which had not
                               passed a quiescent point since it loaded the pointer, read it:
                               the block was freed before its QSBR goal.
      other content            FORBIDDEN: neither the tag nor poison (the block was reused,
                               or written by someone who does not own it).
 */
@JCStressTest
@Covers(hazards = Hazard.REUSE_UNDER_OPTIMISTIC_READER, configurations = {"fine-grained", "free-threaded-3.13"}, setup = "`thread-sharded`, `freeDelayed` (QSBR)")
@Description("thread-sharded: an optimistic reader reads a block that a writer unpublishes and frees through freeDelayed (QSBR)")
@Outcome(id = RetiredBlockReads.UNPUBLISHED, expect = ACCEPTABLE, desc = "The block was unpublished before the reader loaded the slot.")
@Outcome(id = RetiredBlockReads.INTACT, expect = ACCEPTABLE, desc = "The reader read the block; it kept its content throughout.")
@Outcome(id = RetiredBlockReads.FREED, expect = FORBIDDEN, desc = "Reuse before QSBR: the block was freed while the reader still read it.")
@Outcome(id = RetiredBlockReads.OTHER, expect = FORBIDDEN, desc = "The block held content nobody wrote for the reader.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class ThreadShardedReuseAfterQsbr {
    private static final RetiredBlockReads RACE = new RetiredBlockReads(true);

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
