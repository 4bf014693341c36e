package org.pxlab.allocator;

import org.pxlab.runtime.memory.Memory;

/**
 * A page of {@code thread-sharded}: 64 KiB of blocks of one size class, owned by one thread,
 * with mimalloc's three free lists ({@code mi_page_t} in
 * <a href="https://github.com/microsoft/mimalloc/blob/v2.1.2/include/mimalloc/types.h">{@code types.h}</a>;
 * Leijen, Zorn and de Moura, "Mimalloc: Free List Sharding in Action", APLAS 2019, §2-3).
 *
 * <p><b>Free lists.</b> Each is threaded through the first word of the free blocks.
 * <ul>
 *   <li>{@code free}: what the owner allocates from, by popping, with plain loads and stores.</li>
 *   <li>{@code local_free}: where the owner's own frees go, also plain. Keeping them off
 *       {@code free} means the allocation fast path runs dry after a bounded number of
 *       allocations, and the owner then does its periodic work in the generic path.</li>
 *   <li>{@code thread_free}: where other threads' frees go, pushed with a CAS; the owner takes
 *       the whole list with one CAS when it collects. Its low two bits hold the page's
 *       delayed-free state (below); blocks are 16-byte aligned, so the bits are free.</li>
 * </ul>
 * {@link #collect} ({@code _mi_page_free_collect}) moves {@code thread_free} onto
 * {@code local_free} (subtracting its blocks from {@code used}), then, if {@code free} is empty,
 * makes {@code local_free} the new {@code free}.
 *
 * <p><b>Delayed free</b> (mimalloc 2.1, as vendored in CPython 3.13: {@code _mi_free_block_mt},
 * {@code _mi_heap_delayed_free_partial}, {@code _mi_free_delayed_block}). A page starts in state
 * {@code USE_DELAYED_FREE}. The first other-thread free that finds that state switches it to
 * {@code NO_DELAYED_FREE} and pushes its block not on the page but on the owning heap's
 * {@code thread_delayed_free} list, whose address the page records ({@code xheap}); later frees
 * see {@code NO_DELAYED_FREE} and use {@code thread_free}. The owner drains its delayed list in
 * the generic allocation path: for each block it switches the page back to
 * {@code USE_DELAYED_FREE}, collects the page and frees the block as its own. So the owner hears
 * of the first cross-thread free into any page, which is what brings a page back from the full
 * queue, which the owner otherwise never scans. mimalloc sets a transient
 * {@code DELAYED_FREEING} state while the block is pushed, so that a heap being deleted can wait
 * for it; pxlab's heaps live until {@link ThreadShardedAllocator#release()}, so the state switch
 * and the push are two steps, state first, which keeps the invariant the protocol needs:
 * {@code NO_DELAYED_FREE} only while a notification is on its way to (or on) the owner's list.
 *
 * <p><b>Header.</b> mimalloc keeps page descriptors in the header of their segment; here each
 * page's header is its first 128 bytes, found from any block as {@code address & -PAGE_SIZE},
 * as pymalloc finds its pools. The first line holds what the allocation and free paths touch
 * (the three lists, {@code used}, the owner), the second the queue and QSBR links.
 */
final class MiPage {
    private MiPage() {}

    static final int PAGE_SHIFT = 16;
    /** {@code MI_SMALL_PAGE_SIZE} (one 64 KiB slice in mimalloc 2). */
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int HEADER = 128;
    /** {@code MI_MAX_EXTEND_SIZE}: a page's free list is extended by at most this many bytes at a time. */
    static final int MAX_EXTEND_SIZE = 4 * 1024;
    /** {@code MI_MIN_EXTEND}. */
    static final int MIN_EXTEND = 4;
    /** Most blocks a page holds (the 16-byte class). */
    static final int MAX_BLOCKS = (PAGE_SIZE - HEADER) / SizeClasses.ALIGNMENT;

    // Line 0: the hot fields.
    static final int FREE = 0;
    static final int LOCAL_FREE = 8;
    static final int THREAD_FREE = 16;
    /** Address of the owning heap's {@code thread_delayed_free} word ({@code xheap}). */
    static final int HEAP = 24;
    static final int USED = 32;
    static final int CAPACITY = 36;
    static final int RESERVED = 40;
    /** Class size in bytes; 0 while the page is free in its segment. */
    static final int BLOCK_SIZE = 44;
    static final int SIZE_INDEX = 48;
    static final int OWNER = 52;
    static final int IN_FULL = 56;
    static final int RETIRE_EXPIRE = 60;
    // Line 1: queue and QSBR links.
    static final int NEXT = 64;
    static final int PREV = 72;
    static final int QSBR_GOAL = 80;
    static final int QSBR_NEXT = 88;
    static final int QSBR_PREV = 96;
    /** Whether the page is on its heap's QSBR list (a goal of 0 cannot mark it: goals are odd). */
    static final int QSBR_LISTED = 104;

    // Delayed-free states, in the low bits of THREAD_FREE (mimalloc's mi_delayed_t values).
    static final long USE_DELAYED_FREE = 0;
    static final long NO_DELAYED_FREE = 2;
    static final long STATE_MASK = 3;

    static long pageOf(long block) {
        return block & -PAGE_SIZE;
    }

    static int blockSize(long page) {
        return Memory.getInt(page + BLOCK_SIZE);
    }

    static int used(long page) {
        return Memory.getInt(page + USED);
    }

    static boolean allFree(long page) {
        return used(page) == 0;
    }

    static boolean hasFree(long page) {
        return Memory.getLong(page + FREE) != 0;
    }

    static boolean isExpandable(long page) {
        return Memory.getInt(page + CAPACITY) < Memory.getInt(page + RESERVED);
    }

    static long firstBlock(long page) {
        return page + HEADER;
    }

    /**
     * {@code mi_page_init}: makes a free page of the segment a page of class {@code sizeIndex},
     * owned by {@code owner}, with an empty free list ({@link #extend} fills it).
     */
    static void init(long page, int sizeIndex, int owner, long heapWord) {
        int blockSize = SizeClasses.classSize(sizeIndex);
        Memory.putLong(page + FREE, 0);
        Memory.putLong(page + LOCAL_FREE, 0);
        Memory.putLongVolatile(page + THREAD_FREE, USE_DELAYED_FREE);
        Memory.putLong(page + HEAP, heapWord);
        Memory.putInt(page + USED, 0);
        Memory.putInt(page + CAPACITY, 0);
        Memory.putInt(page + RESERVED, (PAGE_SIZE - HEADER) / blockSize);
        Memory.putInt(page + BLOCK_SIZE, blockSize);
        Memory.putInt(page + SIZE_INDEX, sizeIndex);
        Memory.putInt(page + OWNER, owner);
        Memory.putInt(page + IN_FULL, 0);
        Memory.putInt(page + RETIRE_EXPIRE, 0);
        Memory.putLong(page + NEXT, 0);
        Memory.putLong(page + PREV, 0);
        Memory.putLong(page + QSBR_GOAL, 0);
        Memory.putLong(page + QSBR_NEXT, 0);
        Memory.putLong(page + QSBR_PREV, 0);
        Memory.putInt(page + QSBR_LISTED, 0);
    }

    /**
     * {@code mi_page_extend_free}: threads the next never-used blocks, at most 4 KiB of them and
     * at least 4, onto the empty {@code free} list, in address order. Touching the page a little
     * at a time keeps a barely used page from costing its whole 64 KiB.
     */
    static void extend(long page) {
        int blockSize = blockSize(page);
        int capacity = Memory.getInt(page + CAPACITY);
        int reserved = Memory.getInt(page + RESERVED);
        int extend = Math.min(Math.max(MAX_EXTEND_SIZE / blockSize, MIN_EXTEND), reserved - capacity);
        assert extend > 0 && !hasFree(page);
        long start = firstBlock(page) + (long) capacity * blockSize;
        long last = start + (long) (extend - 1) * blockSize;
        for (long b = start; b < last; b += blockSize) Memory.putLong(b, b + blockSize);
        Memory.putLong(last, 0);
        Memory.putLong(page + FREE, start);
        Memory.putInt(page + CAPACITY, capacity + extend);
    }

    /** Pops a block from {@code free}, which must not be empty: {@code _mi_page_malloc}. */
    static long pop(long page) {
        long block = Memory.getLong(page + FREE);
        Memory.putLong(page + FREE, Memory.getLong(block));
        Memory.putInt(page + USED, Memory.getInt(page + USED) + 1);
        return block;
    }

    /** The owner frees a block: onto {@code local_free}. Returns the blocks still in use. */
    static int pushLocal(long page, long block) {
        Memory.putLong(block, Memory.getLong(page + LOCAL_FREE));
        Memory.putLong(page + LOCAL_FREE, block);
        int used = Memory.getInt(page + USED) - 1;
        Memory.putInt(page + USED, used);
        return used;
    }

    /**
     * Another thread frees a block ({@code _mi_free_block_mt}). Returns the address of the
     * owner's delayed-free word if the block must go there (the page was in
     * {@code USE_DELAYED_FREE}, now switched to {@code NO_DELAYED_FREE}), or 0 once it is on
     * the page's {@code thread_free} list.
     */
    static long pushThreadFree(long page, long block) {
        long at = page + THREAD_FREE;
        long tf = Memory.getLongOpaque(at);
        while (true) {
            long state = tf & STATE_MASK;
            if (state == USE_DELAYED_FREE) {
                if (Memory.compareAndSetLong(at, tf, (tf & ~STATE_MASK) | NO_DELAYED_FREE)) return Memory.getLong(page + HEAP);
            } else {
                Memory.putLong(block, tf & ~STATE_MASK);
                // The CAS publishes the link written just before it.
                if (Memory.compareAndSetLong(at, tf, block | state)) return 0;
            }
            tf = Memory.getLongVolatile(at);
        }
    }

    /** Pushes a block on a heap's {@code thread_delayed_free} list. */
    static void pushDelayed(long heapWord, long block) {
        long head = Memory.getLongOpaque(heapWord);
        while (true) {
            Memory.putLong(block, head);
            if (Memory.compareAndSetLong(heapWord, head, block)) return;
            head = Memory.getLongVolatile(heapWord);
        }
    }

    /** {@code _mi_page_try_use_delayed_free(page, MI_USE_DELAYED_FREE)}: the next cross-thread free notifies the owner again. */
    static void useDelayedFree(long page) {
        long at = page + THREAD_FREE;
        long tf = Memory.getLongVolatile(at);
        while ((tf & STATE_MASK) != USE_DELAYED_FREE && !Memory.compareAndSetLong(at, tf, tf & ~STATE_MASK)) {
            tf = Memory.getLongVolatile(at);
        }
    }

    /** The delayed-free state bits, for tests. */
    static long delayedState(long page) {
        return Memory.getLongVolatile(page + THREAD_FREE) & STATE_MASK;
    }

    /** Head of {@code thread_free}, for tests and the walk. */
    static long threadFreeHead(long page) {
        return Memory.getLongVolatile(page + THREAD_FREE) & ~STATE_MASK;
    }

    /** {@code _mi_page_free_collect(page, false)}; owner only. */
    static void collect(long page) {
        // A plain test first: the CAS is only paid when another thread has freed something.
        if ((Memory.getLongOpaque(page + THREAD_FREE) & ~STATE_MASK) != 0) collectThreadFree(page);
        long local = Memory.getLong(page + LOCAL_FREE);
        if (local != 0 && Memory.getLong(page + FREE) == 0) {
            Memory.putLong(page + FREE, local);
            Memory.putLong(page + LOCAL_FREE, 0);
        }
    }

    /** {@code _mi_page_thread_free_collect}: takes the whole list with one CAS, keeping the state bits. */
    private static void collectThreadFree(long page) {
        long at = page + THREAD_FREE;
        long tf = Memory.getLongVolatile(at);
        while (!Memory.compareAndSetLong(at, tf, tf & STATE_MASK)) tf = Memory.getLongVolatile(at);
        long head = tf & ~STATE_MASK;
        if (head == 0) return;
        // Find the tail and count, bounded by the capacity: more means a corrupt list (a double free).
        int max = Memory.getInt(page + CAPACITY);
        int count = 1;
        long tail = head;
        for (long next; (next = Memory.getLong(tail)) != 0; tail = next) {
            if (++count > max) {
                throw new IllegalStateException("thread-sharded: corrupt thread-free list in page 0x" + Long.toHexString(page)
                        + " (more than its " + max + " blocks; a block freed twice?)");
            }
        }
        Memory.putLong(tail, Memory.getLong(page + LOCAL_FREE));
        Memory.putLong(page + LOCAL_FREE, head);
        Memory.putInt(page + USED, Memory.getInt(page + USED) - count);
    }

    /** Whether {@code block} could be a block of this page handed out now (for assertions). */
    static boolean isBlockOf(long page, int sizeIndex, long block) {
        int blockSize = blockSize(page);
        long offset = block - firstBlock(page);
        return blockSize == SizeClasses.classSize(sizeIndex)
                && offset >= 0 && offset % blockSize == 0
                && offset / blockSize < Memory.getInt(page + CAPACITY);
    }

    static String describe(long page) {
        return String.format("page 0x%x (block size %d, owner %d, %d used, capacity %d)", page, blockSize(page),
                Memory.getInt(page + OWNER), used(page), Memory.getInt(page + CAPACITY));
    }
}
