package org.pxlab.stress.allocator;

import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.stress.support.Actors;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.SlotPool;

/**
 * The race of {@link ThreadShardedReuseAfterQsbr} and its control
 * {@link ThreadShardedImmediateFreeControl}: an optimistic reader holding a pointer into a
 * block that a writer unpublishes and retires, on a {@code thread-sharded} allocator.
 *
 * <h2>One sample</h2>
 * The state has a <em>slot</em> (a word of the shared slot pool, CPython's list
 * {@code ob_item} pointer or dict {@code ma_keys}) that publishes a {@value #SIZE}-byte
 * <em>block</em> (the items array) whose words 1 to 7 hold {@link #TAG}. Both were prepared
 * under the housekeeping lock; the block comes from the allocator under test.
 * <ul>
 * <li>The reader (actor1) does what {@code list_get_item_ref} does between two eval-breaker
 *     checks: it attaches to QSBR ({@code _Py_qsbr_attach}), loads the slot, and if it holds a
 *     block, reads the block's words {@value #PASSES} times over (its work on the items),
 *     then detaches, which is its quiescent point. It reports whether it saw the tag
 *     throughout, poison, or something else.</li>
 * <li>The writer (actor2) does what {@code list_resize} does: it attaches, stores 0 into the
 *     slot (unpublishes the block), then retires the block, through
 *     {@link Allocator#freeDelayed} ({@code _PyMem_FreeDelayed}) or, in the control, through
 *     {@link Allocator#free} at once; then reports a quiescent point (which frees the delayed
 *     blocks whose goals are reached) and detaches.</li>
 * </ul>
 * The slot's loads and stores are volatile, and so are QSBR's attach store and its scan, so
 * the argument is sequential consistency: if the reader loaded the block, its attach came
 * before the writer's unpublishing store, hence before the writer's retirement, and the goal
 * the block waits for is past the sequence the reader attached with; the block stays
 * allocated and untouched until the reader detaches. If it loaded 0 it reads nothing.
 *
 * <h2>What the reader can see of a freed block</h2>
 * {@code thread-sharded}'s free poisons the block (in poisoned runs, which StressSuite
 * makes every run) and writes its free-list link into word 0, which the reader does not
 * read; the block is reused only by its owner's heap (the housekeeping thread's, for a later
 * state, never during a sample). So a block freed under the reader reads as
 * {@link Memory#POISON_WORD}. The repeated passes only widen the window in which the control
 * can show it; opaque loads keep the JIT from folding them into one.
 *
 * <h2>Threads and memory</h2>
 * The allocator is shared by every state. The housekeeping context allocates the blocks and
 * detaches from QSBR at once, so that it never holds back a goal. Delayed blocks are freed by
 * the writer's quiescent points once the reader has detached, or handed to the shared queue
 * when the writer detaches; so live blocks stay bounded by the states alive at once.
 */
final class RetiredBlockReads {
    static final long SIZE = 64;
    static final long TAG = 0x7A67_7A67_7A67_7A67L;
    /** Passes of the reader over words 1..7. */
    static final int PASSES = 8;

    static final String UNPUBLISHED = "unpublished";
    static final String INTACT = "intact";
    static final String FREED = "freed under the reader";
    static final String OTHER = "other content";

    private final Allocator allocator = Components.allocator("thread-sharded");
    private final boolean delayed;

    /** @param delayed retire through freeDelayed (QSBR); {@code false}: free at once (the control) */
    RetiredBlockReads(boolean delayed) {
        this.delayed = delayed;
    }

    /** A state's slot, publishing a fresh tagged block. */
    long prepare() {
        long slot = SlotPool.SHARED.take();
        synchronized (Housekeeping.LOCK) {
            long block = allocator.allocate(SIZE, Housekeeping.CONTEXT);
            for (long w = 8; w < SIZE; w += 8) Memory.putLong(block + w, TAG);
            // Housekeeping is never at a quiescent point: it must not count in QSBR.
            allocator.detach(Housekeeping.CONTEXT);
            Memory.putLongVolatile(slot, block);
        }
        return slot;
    }

    /** actor1: the optimistic reader. */
    String read(long slot) {
        allocator.attach(Actors.FIRST);
        try {
            long block = Memory.getLongVolatile(slot);
            if (block == 0) return UNPUBLISHED;
            boolean poison = false;
            boolean other = false;
            for (int pass = 0; pass < PASSES; pass++) {
                for (long w = 8; w < SIZE; w += 8) {
                    long v = Memory.getLongOpaque(block + w);
                    if (v == Memory.POISON_WORD) poison = true;
                    else if (v != TAG) other = true;
                }
            }
            return other ? OTHER : poison ? FREED : INTACT;
        } finally {
            allocator.detach(Actors.FIRST);
        }
    }

    /** actor2: the writer that replaces the block. */
    void retire(long slot) {
        allocator.attach(Actors.SECOND);
        try {
            long block = Memory.getLongVolatile(slot);
            Memory.putLongVolatile(slot, 0);
            if (delayed) {
                allocator.freeDelayed(block, SIZE, Actors.SECOND);
                allocator.quiescent(Actors.SECOND);
            } else {
                allocator.free(block, SIZE, Actors.SECOND);
            }
        } finally {
            allocator.detach(Actors.SECOND);
        }
    }

    /** The arbiter's part: the slot goes back (the block is the allocator's again). */
    void release(long slot) {
        SlotPool.SHARED.give(slot);
    }
}
