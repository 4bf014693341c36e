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
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.Pool;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    The claim: the `malloc` allocator (glibc's malloc and free, as CPython with
    PYTHONMALLOC=malloc) is thread safe: isThreadSafe() is true, so the registry lets
    configurations that do not serialise mutators share it. Two blocks that are live at the
    same time never overlap, whichever threads allocate and free them.

    The race: one allocator instance, shared by every state, as a configuration's space
    would share it. Each sample, each of two runtime threads frees the 64-byte block it got
    in the previous sample that used this state's pair of holders (a cross-thread free when
    jcstress has moved the role to another Java thread), allocates a new one, and writes its
    tag into the first and the last word of it. So frees and allocations of both threads
    interleave, and glibc may well hand one thread the block the other has just freed: that
    is reuse, not overlap. The arbiter, when both are done, checks that the two new blocks
    (both live) do not overlap and that each still holds its owner's tags.

    Outcomes:
      disjoint     the two live blocks are apart and each holds its own tags.
      overlap      FORBIDDEN: two live blocks share bytes: malloc handed memory to two owners.
      clobbered    FORBIDDEN: the blocks are apart, but a tag was overwritten: someone wrote
                   into a block it did not own (a freed block still in use, or a bad free).
      others       FORBIDDEN (no other value is reported).

    Memory per state: none. A state holds a pair of holders from a pool (two longs, the
    blocks the two actors own between samples), so the number of live blocks is twice the
    number of states alive at once, however many samples jcstress runs.
 */
@JCStressTest
@Covers(hazards = {Hazard.OVERLAPPING_ALLOCATIONS, Hazard.CROSS_THREAD_FREE}, setup = "`malloc` shared")
@Description("malloc shared by two runtime threads: each frees its previous block and allocates a new one; live blocks never overlap")
@Outcome(id = MallocSharedNoOverlap.DISJOINT, expect = ACCEPTABLE, desc = "The two live blocks are apart and keep their owners' tags.")
@Outcome(id = MallocSharedNoOverlap.OVERLAP, expect = FORBIDDEN, desc = "Two live blocks share bytes: memory handed to two owners.")
@Outcome(id = MallocSharedNoOverlap.CLOBBERED, expect = FORBIDDEN, desc = "A live block's tag was overwritten by another thread.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class MallocSharedNoOverlap {
    static final String DISJOINT = "disjoint";
    static final String OVERLAP = "overlap";
    static final String CLOBBERED = "clobbered";

    /** Bytes per block: a size glibc serves from its small bins and tcache. */
    static final long SIZE = 64;
    private static final long TAG_FIRST = 0xA1A1_A1A1_A1A1_A1A1L;
    private static final long TAG_SECOND = 0xA2A2_A2A2_A2A2_A2A2L;

    private static final Allocator MALLOC = Components.allocator("malloc");

    /** The blocks the two actor roles own between samples; 0 before the first. */
    static final class Held {
        long first;
        long second;
    }

    private static final Pool<Held> HELD = new Pool<>(Held::new);

    private final Held held = HELD.take();

    @Actor
    public void actor1() {
        held.first = replace(held.first, TAG_FIRST, Actors.FIRST);
    }

    @Actor
    public void actor2() {
        held.second = replace(held.second, TAG_SECOND, Actors.SECOND);
    }

    private static long replace(long previous, long tag, ThreadContext thread) {
        if (previous != 0) MALLOC.free(previous, SIZE, thread);
        long block = MALLOC.allocate(SIZE, thread);
        Memory.putLong(block, tag);
        Memory.putLong(block + SIZE - 8, tag);
        return block;
    }

    @Arbiter
    public void arbiter(L_Result r) {
        long a = held.first;
        long b = held.second;
        if (a < b + SIZE && b < a + SIZE) {
            r.r1 = OVERLAP;
        } else if (!tagged(a, TAG_FIRST) || !tagged(b, TAG_SECOND)) {
            r.r1 = CLOBBERED;
        } else {
            r.r1 = DISJOINT;
        }
        HELD.give(held);
    }

    private static boolean tagged(long block, long tag) {
        return Memory.getLong(block) == tag && Memory.getLong(block + SIZE - 8) == tag;
    }
}
