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
import org.pxlab.runtime.memory.Memory;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.KnownUnsafeControl;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/*
    A known-unsafe control: the `size-class-pool` allocator (pymalloc) shared by two threads
    with no lock. It is not thread safe (isThreadSafe() is false), and the registry refuses to
    share it unless the sync discipline serialises mutators (the GIL) or the configuration is
    declared `unsafe: true`. This control shows why, and proves the harness can see an
    allocator handing one block to two owners; a run in which it never fires is invalid
    (StressSuite fails it).

    The race: two runtime threads each allocate one 16..128-byte block from the same size
    class of the same allocator instance, at once. pymalloc's fast path pops the head of the
    class's free list with plain loads and stores (ref.count += 1; block = freeblock;
    freeblock = *block). If both threads load freeblock before either stores it, both get the
    same block. The arbiter compares the two addresses with the blocks that were on the free
    list.

    Outcomes:
      distinct     the pops did not overlap: each thread got its own block from the list.
      same block   INTERESTING, and the point of the control: both threads got the same
                   block. In a runtime, two objects would now share memory, and the first
                   free would put a live object back on the free list.
      not a free block
                   INTERESTING too (a hazard of the unsafe sharing, though the fast path
                   should not be able to produce it): an address that was not on the free
                   list, i.e. a corrupted free list. It is detected by comparing addresses
                   only; nothing is freed, written or read through it, and the allocator is
                   retired. Should it ever appear, the argument in SizeClassLanes is wrong.
      others       FORBIDDEN (no other value is reported).

    Keeping the JVM safe: a corrupted free list makes the next allocation follow whatever
    pointer the list holds; pxlab maps simulated memory without bounds checks, so that could
    crash the JVM. The test therefore races allocate against allocate only, never against
    free: with nothing written into handed-out blocks, every link a thread can load is one the
    allocator wrote, and the list stays well formed whichever way the race goes
    (SizeClassLanes gives the argument). Racing free against allocate would also show the
    hazard (a live block pushed back on the list, links overwritten by poisoning), but the
    next pop could then follow a poison word or a stale link: detected by pxlab.poison's
    address check at best, a crash at worst. The blocks come from private free lists ("lanes")
    of pooled allocator instances: eight per 256 KiB arena, each reset by the arbiter (the two
    blocks freed again, under a lock) and reused; jcstress makes a new state for every sample.

    The test refuses to run without -Dpxlab.poison=true (StressSuite passes it), which makes
    every simulated-memory access in the JVM refuse NULL-page and non-canonical addresses
    with an exception instead of a crash: a second line of defence, should the first fail.
 */
@JCStressTest
@Covers(hazards = Hazard.OVERLAPPING_ALLOCATIONS, setup = "`size-class-pool` shared, no lock")
@KnownUnsafeControl(hazard = "one block handed to two threads")
@Description("control: size-class-pool shared with no lock; two runtime threads allocate from one size class (must collide)")
@Outcome(id = SizeClassPoolUnlockedControl.DISTINCT, expect = ACCEPTABLE, desc = "Each thread got its own block from the free list.")
@Outcome(id = SizeClassPoolUnlockedControl.SAME_BLOCK, expect = ACCEPTABLE_INTERESTING,
        desc = "One block handed to two threads: the hazard this control must show.")
@Outcome(id = SizeClassPoolUnlockedControl.NOT_FREE, expect = ACCEPTABLE_INTERESTING,
        desc = "An address that was not on the free list: a corrupted free list (allocator retired, address never used).")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class SizeClassPoolUnlockedControl {
    static final String DISTINCT = "distinct";
    static final String SAME_BLOCK = "same block";
    static final String NOT_FREE = "not a free block";

    private static final SizeClassLanes LANES;
    static {
        if (!Memory.POISON_ENABLED) {
            throw new IllegalStateException("SizeClassPoolUnlockedControl races a non-thread-safe allocator and runs only with"
                    + " -Dpxlab.poison=true (checked simulated-memory accesses); run the suite with StressSuite, or pass"
                    + " -jvmArgsPrepend -Dpxlab.poison=true");
        }
        LANES = new SizeClassLanes();
    }

    private final SizeClassLanes.Lane lane = LANES.take();
    private long first;
    private long second;

    @Actor
    public void actor1() {
        first = lane.allocator().allocate(lane.size, Actors.FIRST);
    }

    @Actor
    public void actor2() {
        second = lane.allocator().allocate(lane.size, Actors.SECOND);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        if (!lane.isFreeBlock(first) || !lane.isFreeBlock(second)) {
            r.r1 = NOT_FREE;
        } else {
            r.r1 = first == second ? SAME_BLOCK : DISTINCT;
        }
        LANES.give(lane, first, second);
    }
}
