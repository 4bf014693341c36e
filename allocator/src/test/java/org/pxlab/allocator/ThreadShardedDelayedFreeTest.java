package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * {@code thread-sharded}'s delayed frees ({@code _PyMem_FreeDelayed}): a block that a lock-free
 * reader may still read (a list's old items array) is not reused, nor changed, until every
 * attached thread has passed a quiescent point after the free, and is reused after. Driven step
 * by step, with the QSBR hooks called as the runtime calls them.
 */
class ThreadShardedDelayedFreeTest {
    private static final int SIZE = 64;
    private static final long PATTERN = 0x0123_4567_89AB_CDEFL;

    private final ThreadContext writer = new ThreadContext(0, "writer", Placement.MAIN);
    private final ThreadContext reader = new ThreadContext(1, "reader", Placement.MAIN);
    private final ThreadShardedAllocator a = new ThreadShardedAllocator(Long.MAX_VALUE, 1);

    @AfterEach
    void release() {
        a.release();
    }

    /** Allocates and frees blocks of the class until one of them is {@code block} or {@code tries} pass. */
    private boolean reusedWithin(long block, int tries) {
        List<Long> got = new ArrayList<>();
        boolean found = false;
        for (int i = 0; i < tries && !found; i++) {
            long b = a.allocate(SIZE, writer);
            got.add(b);
            found = b == block;
        }
        for (long b : got) a.free(b, SIZE, writer);
        return found;
    }

    @Test
    void aDelayedBlockIsNeitherReusedNorTouchedUntilEveryAttachedThreadPassedAQuiescentPoint() {
        a.attach(writer);
        a.attach(reader); // has read the block's address and may still dereference it
        long block = a.allocate(SIZE, writer);
        for (int o = 0; o < SIZE; o += 8) Memory.putLong(block + o, PATTERN + o);
        long inUse = a.statistics().inUse();

        a.freeDelayed(block, SIZE, writer);
        a.quiescent(writer);
        assertThat(reusedWithin(block, 3 * MiPage.MAX_EXTEND_SIZE / SIZE)).as("reused while the reader may read it").isFalse();
        for (int o = 0; o < SIZE; o += 8) {
            assertThat(Memory.getLong(block + o)).as("word %d of the delayed block", o / 8).isEqualTo(PATTERN + o);
        }
        assertThat(a.statistics().inUse()).as("a delayed block still counts in use").isEqualTo(inUse);
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).isZero();

        a.quiescent(reader); // the reader holds no pointer any more
        a.quiescent(writer); // the owner of the queue frees what is due
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).isEqualTo(1);
        assertThat(a.statistics().inUse()).isEqualTo(inUse - SIZE);
        assertThat(reusedWithin(block, 3 * MiPage.MAX_EXTEND_SIZE / SIZE)).as("reused once the goal is reached").isTrue();
    }

    @Test
    void aDetachingThreadHandsItsDelayedBlocksToOneThatStaysAttached() {
        a.attach(writer);
        a.attach(reader);
        long block = a.allocate(SIZE, writer);
        a.freeDelayed(block, SIZE, writer);
        a.detach(writer); // e.g. a worker that ends: its queue is abandoned to the shared one
        a.quiescent(reader);
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).as("freed by the thread that stayed").isEqualTo(1);
        assertThat(a.statistics().inUse()).isZero();
    }

    @Test
    void aDetachedThreadHoldsNothingBack() {
        a.attach(writer);
        long block = a.allocate(SIZE, writer);
        a.freeDelayed(block, SIZE, writer);
        a.attach(reader);
        a.detach(reader); // attached and gone: it cannot be reading
        a.quiescent(writer);
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).isEqualTo(1);
    }

    /**
     * A collection's pause ({@code process_delayed_frees}): with no thread past a quiescent
     * point, {@code reclaimDelayed} frees every delayed block, each thread's queue and the one
     * a detached thread abandoned, whoever owned the pages. Before it, the walk does not list
     * them (they are free, though their pages still count them).
     */
    @Test
    void reclaimingInAPauseFreesEveryThreadsDelayedBlocksAndTheAbandonedOnes() {
        ThreadContext third = new ThreadContext(2, "third", Placement.WORKER);
        a.attach(writer);
        a.attach(reader);
        a.attach(third);
        long kept = a.allocate(SIZE, writer);
        long mine = a.allocate(SIZE, writer), theirs = a.allocate(SIZE, reader), abandoned = a.allocate(SIZE, third);
        long crossed = a.allocate(SIZE, writer); // in the writer's page, queued by the reader
        long inUse = a.statistics().inUse();
        a.freeDelayed(mine, SIZE, writer);
        a.freeDelayed(theirs, SIZE, reader);
        a.freeDelayed(crossed, SIZE, reader);
        a.freeDelayed(abandoned, SIZE, third);
        a.detach(third); // its queue goes to the shared one
        List<Long> walked = new ArrayList<>();
        a.walk((block, size) -> walked.add(block));
        assertThat(walked).contains(kept).doesNotContain(mine, theirs, crossed, abandoned);
        assertThat(a.statistics().inUse()).isEqualTo(inUse);

        a.reclaimDelayed(writer); // no quiescent point anywhere: the world is stopped
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).isEqualTo(4);
        assertThat(a.statistics().inUse()).isEqualTo(inUse - 4 * SIZE);
        a.reclaimDelayed(writer);
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).as("each freed once").isEqualTo(4);
        walked.clear();
        a.walk((block, size) -> walked.add(block));
        assertThat(walked).contains(kept).doesNotContain(mine, theirs, crossed, abandoned);
        a.quiescent(reader);
        a.quiescent(writer);
        assertThat(a.counter(ThreadShardedAllocator.DELAYED_BLOCKS_FREED)).as("nothing left to free at quiescent points").isEqualTo(4);
        a.free(kept, SIZE, writer);
    }
}
