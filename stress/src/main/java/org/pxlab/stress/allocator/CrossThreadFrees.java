package org.pxlab.stress.allocator;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.stress.support.Pool;

/**
 * The race of the thread-safe allocators' no-overlap tests ({@link ThreadShardedNoOverlap},
 * {@link LockedGlobalNoOverlap}, and the allocator template
 * {@link org.pxlab.stress.template.AllocatorTemplateNoOverlap}): each actor frees the block the <em>other</em> actor
 * allocated in the previous sample that used its pair of holders (a cross-thread free), then
 * allocates a block, writes its tag into the first and last words, and reads both back; the
 * arbiter checks that the two live blocks are apart and still tagged.
 *
 * <p>Held blocks: each state takes a {@link Held} from a pool and gives it back in the arbiter,
 * which also moves this sample's blocks into the "previous" slots. So every block allocated by
 * one actor role is freed by the other one sample later, and live blocks never outnumber two
 * per pooled holder, however many samples jcstress runs.
 */
public final class CrossThreadFrees {
    /** Bytes per block: a small size class in every allocator here. */
    static final long SIZE = 64;
    static final long TAG_FIRST = 0xA1A1_A1A1_A1A1_A1A1L;
    static final long TAG_SECOND = 0xA2A2_A2A2_A2A2_A2A2L;

    public static final String DISJOINT = "disjoint";
    public static final String OVERLAP = "overlap";
    public static final String CLOBBERED = "clobbered";

    /** The blocks of one pair of holders: this sample's and the previous sample's, per role. */
    public static final class Held {
        long first;
        long second;
        long previousFirst;
        long previousSecond;
        /** Whether the actor read back a tag other than its own right after writing it. */
        boolean firstReadBackFailed;
        boolean secondReadBackFailed;
    }

    private final Allocator allocator;
    private final Pool<Held> held = new Pool<>(Held::new);

    public CrossThreadFrees(Allocator allocator) {
        this.allocator = allocator;
    }

    public Held take() {
        return held.take();
    }

    /** actor1: frees actor2's previous block, allocates and tags its own. */
    public void first(Held h, ThreadContext thread) {
        if (h.previousSecond != 0) allocator.free(h.previousSecond, SIZE, thread);
        h.first = allocateTagged(TAG_FIRST, thread);
        h.firstReadBackFailed = !tagged(h.first, TAG_FIRST);
    }

    /** actor2: frees actor1's previous block, allocates and tags its own. */
    public void second(Held h, ThreadContext thread) {
        if (h.previousFirst != 0) allocator.free(h.previousFirst, SIZE, thread);
        h.second = allocateTagged(TAG_SECOND, thread);
        h.secondReadBackFailed = !tagged(h.second, TAG_SECOND);
    }

    /** The arbiter's verdict; moves this sample's blocks to the previous slots and gives the holder back. */
    public String judge(Held h) {
        long a = h.first;
        long b = h.second;
        String verdict;
        if (a < b + SIZE && b < a + SIZE) {
            verdict = OVERLAP;
        } else if (h.firstReadBackFailed || h.secondReadBackFailed || !tagged(a, TAG_FIRST) || !tagged(b, TAG_SECOND)) {
            verdict = CLOBBERED;
        } else {
            verdict = DISJOINT;
        }
        h.previousFirst = a;
        h.previousSecond = b;
        held.give(h);
        return verdict;
    }

    private long allocateTagged(long tag, ThreadContext thread) {
        long block = allocator.allocate(SIZE, thread);
        Memory.putLong(block, tag);
        Memory.putLong(block + SIZE - 8, tag);
        return block;
    }

    private static boolean tagged(long block, long tag) {
        return Memory.getLong(block) == tag && Memory.getLong(block + SIZE - 8) == tag;
    }
}
