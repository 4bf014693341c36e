package org.pxlab.allocator;

import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * One thread's heap in {@code thread-sharded}: mimalloc's {@code mi_heap_t} with the page
 * queues, the full queue, the delayed-free list and, from CPython's free-threaded build, the
 * list of empty pages waiting for QSBR ({@code tstate->mimalloc.page_list}). Everything here is
 * touched by the owning thread only, except {@link #heapWord}, the {@code thread_delayed_free}
 * list other threads push on, and the pages' {@code thread_free} lists ({@link MiPage}).
 *
 * <p><b>Allocation.</b> The fast path is {@code _mi_page_malloc}: pop the {@code free} list of
 * the class's current page ({@code pages_free_direct}), no atomic operation. When it is empty,
 * the generic path ({@code _mi_malloc_generic}) first frees the blocks other threads put on the
 * delayed list, then walks the class's page queue ({@code mi_page_queue_find_free_ex}): each
 * page is collected ({@code thread_free} into {@code local_free}, {@code local_free} into
 * {@code free}); the first with a free block, or room to extend, is taken; pages with neither
 * move to the full queue, which is not scanned again: a full page returns when the owner frees
 * into it or a cross-thread free into it reaches the delayed list. If no page qualifies, pages
 * whose QSBR goal has been reached are returned to the segment, retired pages are aged, and a
 * fresh page is taken: a page freed in this heap's segments first (most recently freed first),
 * else an untouched one, else a new segment.
 *
 * <p><b>Retirement and QSBR.</b> When the owner frees the last used block of a page
 * ({@code _mi_page_retire}), a page that is the only one of its class is kept for 16 more fresh
 * page requests ({@code retire_expire}, so that a loop that allocates and frees one object does
 * not retire its page on every iteration); otherwise, or when that expires, the page is
 * <em>not</em> returned to the segment but tagged with a QSBR goal and appended to the heap's
 * QSBR list, staying in its class's queue ({@code _PyMem_mi_page_maybe_free}). Meanwhile it can
 * still serve its own size class: objects of that class start where objects started before, so a
 * thread reading a freed object without a lock (CPython's optimistic list and dict reads) still
 * finds a reference count where it expects one. Only when every attached thread has passed a
 * quiescent point since the goal was set ({@code _PyMem_mi_heap_collect_qsbr}) does the page go
 * back to the segment, from where it may be reused for any class.
 *
 * <p><b>A deliberate difference from CPython.</b> CPython leaves a page on the QSBR list while the
 * fast path allocates from it (only the generic path takes a page off the list), and frees a page
 * at once when it empties again after its old goal was reached, although objects were allocated
 * and freed on it since that goal was set. Here a page put on the QSBR list stops being the
 * class's current page, so only the generic path can allocate from it, and that path takes it off
 * the list first: a page on the list has had no allocation since its goal was set, and every goal
 * is set when the page's last block is freed. So reuse for another class always waits for a
 * quiescent point after the page's last free.
 *
 * <p><b>Segments</b> are 1 MiB (16 pages), obtained from the C library and kept until
 * {@link #release()}; freed pages are poisoned and reused, never returned early, so a stale
 * address stays mapped (the SPI's rule). mimalloc 2's segments are 32 MiB of reserved address
 * space committed as pages are used; 1 MiB keeps the {@code reserved} figure of a thread that
 * allocates little close to what it touches.
 */
final class ThreadHeap {
    static final int SEGMENT_PAGES = 16;
    static final long SEGMENT_SIZE = (long) SEGMENT_PAGES * MiPage.PAGE_SIZE;
    /** What is asked of malloc per segment: room to round the start up to a page boundary. */
    static final long SEGMENT_CHUNK = SEGMENT_SIZE + MiPage.PAGE_SIZE - SizeClasses.ALIGNMENT;
    /** {@code 1 + MI_RETIRE_CYCLES}. */
    static final int RETIRE_CYCLES = 1 + 16;
    /** The heap's line: its {@code thread_delayed_free} word, on a cache line of its own. */
    static final int LINE = 64;
    /** Queue index of the full queue ({@code MI_BIN_FULL}). */
    private static final int FULL = SizeClasses.COUNT;

    final int owner;
    private final ThreadShardedAllocator allocator;
    private final Qsbr qsbr;
    private final long lineChunk;
    /** {@code heap->thread_delayed_free}: blocks other threads freed into pages of ours in {@code USE_DELAYED_FREE}. */
    final long heapWord;

    /** {@code pages_free_direct}: the page each class allocates from, or 0 (then the generic path runs). */
    private final long[] direct = new long[SizeClasses.COUNT];
    /** Page queues, one per class and the full queue, doubly linked through the pages' headers. */
    private final long[] first = new long[SizeClasses.COUNT + 1];
    private final long[] last = new long[SizeClasses.COUNT + 1];
    private int retiredMin = FULL;
    private int retiredMax = -1;
    /** The QSBR list, oldest goal first. */
    private long qsbrFirst;
    private long qsbrLast;
    /** Blocks freed through {@code freeDelayed}, waiting for their QSBR goals; the owner's only. */
    final QsbrDelayedFrees delayedFrees = new QsbrDelayedFrees();
    /** Pages returned to this heap's segments, a stack through {@code NEXT}. */
    private long freePages;
    private long[] segmentChunks = new long[4];
    private int segments;
    /** Pages carved from the newest segment. */
    private int carved = SEGMENT_PAGES;

    ThreadHeap(ThreadShardedAllocator allocator, Qsbr qsbr, ThreadContext thread) {
        this.owner = thread.id();
        this.allocator = allocator;
        this.qsbr = qsbr;
        allocator.reserve(LINE, LINE, thread);
        this.lineChunk = SystemMalloc.calloc(2L * LINE);
        this.heapWord = (lineChunk + LINE - 1) & -LINE;
    }

    // ---- allocation ----

    /** {@code mi_heap_malloc_small}: the fast path, then the generic one. */
    long allocate(int sizeIndex, ThreadContext thread) {
        long page = direct[sizeIndex];
        if (page != 0) {
            long block = Memory.getLong(page + MiPage.FREE);
            if (block != 0) {
                Memory.putLong(page + MiPage.FREE, Memory.getLong(block));
                Memory.putInt(page + MiPage.USED, Memory.getInt(page + MiPage.USED) + 1);
                return block;
            }
        }
        return allocateGeneric(sizeIndex, thread);
    }

    /** {@code _mi_malloc_generic}. */
    private long allocateGeneric(int sizeIndex, ThreadContext thread) {
        freeDelayed(thread);
        long page = findFreePage(sizeIndex, thread);
        return MiPage.pop(page);
    }

    /** {@code mi_page_queue_find_free_ex}, with CPython's QSBR collection before a fresh page. */
    private long findFreePage(int sizeIndex, ThreadContext thread) {
        long page = first[sizeIndex];
        while (page != 0) {
            long next = Memory.getLong(page + MiPage.NEXT);
            MiPage.collect(page);
            if (MiPage.hasFree(page)) break;
            if (MiPage.isExpandable(page)) {
                MiPage.extend(page);
                break;
            }
            moveToFull(page, sizeIndex);
            // mimalloc collects once more after the move, for frees that raced with it; if that
            // found any, take the page back rather than strand its blocks in the full queue.
            MiPage.collect(page);
            if (MiPage.hasFree(page)) {
                unfull(page);
                break;
            }
            page = next;
        }
        if (page == 0) {
            collectQsbr(thread);
            collectRetired(thread);
            page = freshPage(sizeIndex, thread);
        } else {
            Memory.putInt(page + MiPage.RETIRE_EXPIRE, 0);
            // Allocating from a page waiting for QSBR cancels its reclamation.
            clearQsbr(page);
            if (first[sizeIndex] != page) {
                unlink(sizeIndex, page);
                pushFront(sizeIndex, page);
            }
        }
        direct[sizeIndex] = page;
        return page;
    }

    /** {@code mi_page_fresh}: a page from the segments, initialised for the class, at the front of its queue. */
    private long freshPage(int sizeIndex, ThreadContext thread) {
        long page = takeSegmentPage(thread);
        MiPage.init(page, sizeIndex, owner, heapWord);
        MiPage.extend(page);
        pushFront(sizeIndex, page);
        return page;
    }

    private long takeSegmentPage(ThreadContext thread) {
        long page = freePages;
        if (page != 0) {
            freePages = Memory.getLong(page + MiPage.NEXT);
            allocator.count(thread, ThreadShardedAllocator.PAGES_REUSED);
            return page;
        }
        if (carved == SEGMENT_PAGES) newSegment(thread);
        long base = (segmentChunks[segments - 1] + MiPage.PAGE_SIZE - 1) & -MiPage.PAGE_SIZE;
        return base + (long) MiPage.PAGE_SIZE * carved++;
    }

    private void newSegment(ThreadContext thread) {
        allocator.reserve(SEGMENT_SIZE, SEGMENT_SIZE, thread);
        long chunk = allocator.systemMalloc(SEGMENT_CHUNK, thread);
        if (segments == segmentChunks.length) segmentChunks = Arrays.copyOf(segmentChunks, 2 * segments);
        segmentChunks[segments++] = chunk;
        carved = 0;
    }

    // ---- frees ----

    /** {@code mi_free_block_local}: the owner frees a block of one of its pages. */
    void freeLocal(long page, long block, ThreadContext thread) {
        int used = MiPage.pushLocal(page, block);
        if (used == 0) retire(page, thread);
        else if (Memory.getInt(page + MiPage.IN_FULL) != 0) unfull(page);
    }

    /** {@code _mi_heap_delayed_free_partial}: frees the blocks other threads left on the delayed list. */
    void freeDelayed(ThreadContext thread) {
        long block = Memory.getLongOpaque(heapWord);
        if (block == 0) return;
        while (!Memory.compareAndSetLong(heapWord, block, 0)) block = Memory.getLongVolatile(heapWord);
        while (block != 0) {
            long next = Memory.getLong(block);
            // _mi_free_delayed_block: re-arm the notification before collecting, so that no
            // block can reach thread_free without a later notification to bring the page back.
            long page = MiPage.pageOf(block);
            MiPage.useDelayedFree(page);
            MiPage.collect(page);
            freeLocal(page, block, thread);
            block = next;
        }
    }

    // ---- retirement and QSBR ----

    /** {@code _mi_page_retire}: the page's last used block was freed. */
    private void retire(long page, ThreadContext thread) {
        // An empty page has free blocks: it belongs in its class's queue, not the full one.
        if (Memory.getInt(page + MiPage.IN_FULL) != 0) unfull(page);
        int sizeIndex = Memory.getInt(page + MiPage.SIZE_INDEX);
        if (first[sizeIndex] == page && last[sizeIndex] == page) {
            // The only page of its class: keep it for a while, new allocations may be coming.
            Memory.putInt(page + MiPage.RETIRE_EXPIRE, RETIRE_CYCLES);
            retiredMin = Math.min(retiredMin, sizeIndex);
            retiredMax = Math.max(retiredMax, sizeIndex);
            return;
        }
        deferFree(page, thread);
    }

    /** {@code _PyMem_mi_page_maybe_free}: tag the empty page with a QSBR goal and list it. */
    private void deferFree(long page, ThreadContext thread) {
        assert Memory.getInt(page + MiPage.QSBR_LISTED) == 0 : "already waiting for QSBR: " + MiPage.describe(page);
        Memory.putInt(page + MiPage.RETIRE_EXPIRE, 0);
        Memory.putLong(page + MiPage.QSBR_GOAL, qsbr.deferredAdvance(owner));
        Memory.putInt(page + MiPage.QSBR_LISTED, 1);
        Memory.putLong(page + MiPage.QSBR_NEXT, 0);
        Memory.putLong(page + MiPage.QSBR_PREV, qsbrLast);
        if (qsbrLast != 0) Memory.putLong(qsbrLast + MiPage.QSBR_NEXT, page);
        else qsbrFirst = page;
        qsbrLast = page;
        // Only the generic path may allocate from it now, and that takes it off the list first.
        int sizeIndex = Memory.getInt(page + MiPage.SIZE_INDEX);
        if (direct[sizeIndex] == page) direct[sizeIndex] = 0;
        allocator.count(thread, ThreadShardedAllocator.PAGES_DEFERRED);
    }

    /** {@code _PyMem_mi_page_clear_qsbr}. */
    private void clearQsbr(long page) {
        if (Memory.getInt(page + MiPage.QSBR_LISTED) == 0) return;
        long next = Memory.getLong(page + MiPage.QSBR_NEXT);
        long prev = Memory.getLong(page + MiPage.QSBR_PREV);
        if (prev != 0) Memory.putLong(prev + MiPage.QSBR_NEXT, next);
        else qsbrFirst = next;
        if (next != 0) Memory.putLong(next + MiPage.QSBR_PREV, prev);
        else qsbrLast = prev;
        Memory.putInt(page + MiPage.QSBR_LISTED, 0);
        Memory.putLong(page + MiPage.QSBR_GOAL, 0);
    }

    /**
     * {@code _PyMem_mi_heap_collect_qsbr}: returns to the segment the listed pages whose goal
     * every attached thread has reached. Goals grow along the list, so the walk stops at the
     * first page that must wait.
     */
    private void collectQsbr(ThreadContext thread) {
        long page = qsbrFirst;
        while (page != 0) {
            long next = Memory.getLong(page + MiPage.QSBR_NEXT);
            if (!MiPage.allFree(page)) {
                // Cannot happen here (see the class comment); CPython's check, kept as a safeguard.
                clearQsbr(page);
            } else if (qsbr.poll(Memory.getLong(page + MiPage.QSBR_GOAL))) {
                clearQsbr(page);
                freePage(page, thread);
            } else {
                return;
            }
            page = next;
        }
    }

    /** {@code _mi_heap_collect_retired}: ages the kept-back pages; expired ones go to QSBR. */
    private void collectRetired(ThreadContext thread) {
        int min = FULL;
        int max = -1;
        for (int bin = retiredMin; bin <= retiredMax; bin++) {
            long page = first[bin];
            if (page == 0 || Memory.getInt(page + MiPage.RETIRE_EXPIRE) == 0) continue;
            if (MiPage.allFree(page)) {
                int expire = Memory.getInt(page + MiPage.RETIRE_EXPIRE) - 1;
                Memory.putInt(page + MiPage.RETIRE_EXPIRE, expire);
                if (expire == 0) {
                    deferFree(page, thread);
                } else {
                    min = Math.min(min, bin);
                    max = Math.max(max, bin);
                }
            } else {
                Memory.putInt(page + MiPage.RETIRE_EXPIRE, 0);
            }
        }
        retiredMin = min;
        retiredMax = max;
    }

    /** {@code _mi_page_free}: the page leaves its queue and returns to the segment, poisoned. */
    private void freePage(long page, ThreadContext thread) {
        int sizeIndex = Memory.getInt(page + MiPage.SIZE_INDEX);
        unlink(sizeIndex, page);
        if (direct[sizeIndex] == page) direct[sizeIndex] = 0;
        Memory.poison(page, MiPage.PAGE_SIZE);
        Memory.putInt(page + MiPage.BLOCK_SIZE, 0);
        Memory.putLong(page + MiPage.NEXT, freePages);
        freePages = page;
        allocator.count(thread, ThreadShardedAllocator.PAGES_FREED);
    }

    // ---- queues ----

    private void moveToFull(long page, int sizeIndex) {
        unlink(sizeIndex, page);
        if (direct[sizeIndex] == page) direct[sizeIndex] = 0;
        pushBack(FULL, page);
        Memory.putInt(page + MiPage.IN_FULL, 1);
    }

    /** {@code _mi_page_unfull}: back from the full queue to the end of its class's queue. */
    private void unfull(long page) {
        unlink(FULL, page);
        Memory.putInt(page + MiPage.IN_FULL, 0);
        pushBack(Memory.getInt(page + MiPage.SIZE_INDEX), page);
    }

    private void pushFront(int queue, long page) {
        long head = first[queue];
        Memory.putLong(page + MiPage.PREV, 0);
        Memory.putLong(page + MiPage.NEXT, head);
        if (head != 0) Memory.putLong(head + MiPage.PREV, page);
        else last[queue] = page;
        first[queue] = page;
    }

    private void pushBack(int queue, long page) {
        long tail = last[queue];
        Memory.putLong(page + MiPage.NEXT, 0);
        Memory.putLong(page + MiPage.PREV, tail);
        if (tail != 0) Memory.putLong(tail + MiPage.NEXT, page);
        else first[queue] = page;
        last[queue] = page;
    }

    private void unlink(int queue, long page) {
        long next = Memory.getLong(page + MiPage.NEXT);
        long prev = Memory.getLong(page + MiPage.PREV);
        if (prev != 0) Memory.putLong(prev + MiPage.NEXT, next);
        else first[queue] = next;
        if (next != 0) Memory.putLong(next + MiPage.PREV, prev);
        else last[queue] = prev;
    }

    // ---- walk, inspection, release ----

    /**
     * Visits the live blocks of every page in use: those below the page's capacity that are on
     * none of its three lists nor on a delayed list ({@code delayed}, sorted). Changes nothing,
     * so that a walk does not disturb what it observes.
     */
    void walk(BlockVisitor visitor, long[] delayed, int delayedCount, long[] freeMap) {
        for (int s = 0; s < segments; s++) {
            long base = (segmentChunks[s] + MiPage.PAGE_SIZE - 1) & -MiPage.PAGE_SIZE;
            int pages = s == segments - 1 ? carved : SEGMENT_PAGES;
            for (int p = 0; p < pages; p++) {
                long page = base + (long) MiPage.PAGE_SIZE * p;
                if (MiPage.blockSize(page) != 0) walkPage(page, visitor, delayed, delayedCount, freeMap);
            }
        }
    }

    private static void walkPage(long page, BlockVisitor visitor, long[] delayed, int delayedCount, long[] freeMap) {
        int blockSize = MiPage.blockSize(page);
        int capacity = Memory.getInt(page + MiPage.CAPACITY);
        long start = MiPage.firstBlock(page);
        Arrays.fill(freeMap, 0);
        markList(Memory.getLong(page + MiPage.FREE), start, blockSize, freeMap);
        markList(Memory.getLong(page + MiPage.LOCAL_FREE), start, blockSize, freeMap);
        // Blocks other threads freed and the owner has not collected yet still count in `used`.
        int uncollected = markList(MiPage.threadFreeHead(page), start, blockSize, freeMap);
        int from = Arrays.binarySearch(delayed, 0, delayedCount, page);
        for (int i = from >= 0 ? from : -from - 1; i < delayedCount && delayed[i] < page + MiPage.PAGE_SIZE; i++) {
            mark(delayed[i], start, blockSize, freeMap);
            uncollected++;
        }
        int visited = 0;
        for (int i = 0; i < capacity; i++) {
            if ((freeMap[i >>> 6] & (1L << i)) != 0) continue;
            visitor.visit(start + (long) i * blockSize, blockSize);
            visited++;
        }
        assert visited == MiPage.used(page) - uncollected
                : MiPage.describe(page) + ": the walk found " + visited + " live blocks, " + uncollected + " uncollected";
    }

    private static int markList(long head, long start, int blockSize, long[] freeMap) {
        int n = 0;
        for (long b = head; b != 0; b = Memory.getLong(b)) {
            mark(b, start, blockSize, freeMap);
            n++;
        }
        return n;
    }

    private static void mark(long block, long start, int blockSize, long[] freeMap) {
        int i = (int) ((block - start) / blockSize);
        freeMap[i >>> 6] |= 1L << i;
    }

    /** The page a class allocates from now, or 0 (for tests). */
    long directPage(int sizeIndex) {
        return direct[sizeIndex];
    }

    /** Pages on the QSBR list (for tests). */
    int qsbrListLength() {
        int n = 0;
        for (long p = qsbrFirst; p != 0; p = Memory.getLong(p + MiPage.QSBR_NEXT)) n++;
        return n;
    }

    /** Head of the delayed list (for tests). */
    long delayedHead() {
        return Memory.getLongVolatile(heapWord);
    }

    /** Returns the segments and the heap's line to the C library. */
    void release() {
        for (int s = 0; s < segments; s++) SystemMalloc.free(segmentChunks[s]);
        segments = 0;
        SystemMalloc.free(lineChunk);
    }
}
