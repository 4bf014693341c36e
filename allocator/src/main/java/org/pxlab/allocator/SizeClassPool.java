package org.pxlab.allocator;

import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * CPython's small-object allocator, pymalloc ({@code Objects/obmalloc.c}), in its classic
 * geometry (CPython 3.8 and 3.9, before 3.10's 1 MiB arenas and radix tree).
 *
 * <p><b>Geometry.</b> Requests of 1 to 512 bytes ({@code SMALL_REQUEST_THRESHOLD}) are
 * rounded up to a multiple of 16 ({@code ALIGNMENT}), giving 32 size classes, index
 * {@code (size - 1) >> 4} ({@link SizeClasses}, shared with the thread-safe allocators). Each
 * class is served from 4 KiB <em>pools</em> holding blocks of that one size after a 48-byte
 * pool header; pools are carved from 256 KiB <em>arenas</em> (64
 * pools each). Larger requests go straight to the C library ({@link SystemMalloc}), as
 * pymalloc hands them to {@code PyMem_RawMalloc}.
 *
 * <p><b>Pools.</b> The header lives at the start of the pool, in simulated memory, with
 * {@code struct pool_header}'s fields and 64-bit offsets: {@code ref.count} (blocks handed
 * out), {@code freeblock} (head of the free list threaded through the first word of freed
 * blocks), {@code nextpool}/{@code prevpool}, {@code arenaindex}, {@code szidx},
 * {@code nextoffset} and {@code maxnextoffset} (the bump pointer into never-used space and
 * its limit). A pool is found from any of its blocks as {@code address & ~(POOL_SIZE - 1)}.
 * As in pymalloc, a pool in a {@code usedpools} list always has a block at
 * {@code freeblock}: allocation pops it and, when that empties the list, immediately extends
 * it from untouched space or, if there is none, unlinks the now full pool. The common case
 * is therefore a load of the list head, a count increment and a pop.
 *
 * <p><b>Arenas.</b> pymalloc keeps {@code usable_arenas}, the arenas with a free pool, sorted
 * by their number of free pools, fewest first, and takes new pools from its head: allocations
 * concentrate in the fullest arenas, so lightly used ones get the chance to empty entirely.
 * This class keeps that list and that order, with CPython 3.8's insertion walk (3.9 added an
 * index, {@code nfp2lasta}, to make the walk O(1); the resulting order is the same). An arena
 * whose pools are all free is retired, unless it is the last in {@code usable_arenas}, as in
 * 3.9 (bpo-37257): keeping that one empty arena stops a loop that allocates and frees a
 * single block in an otherwise empty heap from obtaining and retiring an arena on every
 * iteration, as 3.8 did. Since the list is sorted, the kept arena is the one with the most
 * free pools; any other arena is retired the moment it empties.
 *
 * <p><b>Deviations.</b>
 * <ul>
 *   <li>Arenas come from {@code malloc}, which aligns to 16 bytes only, so each is
 *       over-allocated by a pool and its start rounded up to 4 KiB. pymalloc's {@code mmap}ed
 *       arenas are page aligned and need no slack (with {@code malloc} fallback it gave up one
 *       pool instead). {@code reserved} counts the modelled 256 KiB per arena, not the slack.</li>
 *   <li>A retired arena leaves {@code reserved} as in pymalloc, but its chunk is poisoned
 *       and kept, to be reused by the next new arena, and only returned to the C library by
 *       {@link #release()}. The SPI requires that memory stay mapped until then, so that a
 *       stale address reads poison rather than faulting; glibc would {@code munmap} a chunk
 *       this large on {@code free}. The process never holds more arena chunks than the
 *       model's peak, so {@code max-bytes} still bounds it.</li>
 *   <li>Large blocks, by contrast, go back to the C library as soon as they are freed, as in
 *       pymalloc (and the {@code malloc} allocator); keeping them would be unbounded. glibc
 *       unmaps blocks above its mmap threshold, so a stale address into one can fault.</li>
 *   <li>The {@code usedpools} heads are a Java {@code long[]} and the lists end in 0.
 *       pymalloc overlays its head array on dummy pool headers to make the lists circular
 *       without sentinels; the operations performed on the pools are the same.</li>
 *   <li>The arena objects ({@code struct arena_object}) are Java objects, reused through an
 *       unused list as pymalloc reuses its array entries.</li>
 *   <li>pymalloc decides "small or large" on free with {@code address_in_range}; here the
 *       caller's size decides, as the SPI passes it.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Not thread safe: callers are serialised (by the GIL), as pymalloc's are.
 * {@link #statistics()} is exact when called under the same serialisation or once the
 * runtime has stopped; from another thread meanwhile it is a recent, not atomic, snapshot.
 *
 * <p><b>Statistics.</b> {@code inUse} counts small blocks at their class size and large blocks
 * at their requested size. They are plain fields, like pymalloc's own
 * {@code _Py_AllocatedBlocks} counter: calls are serialised by definition, so per-thread
 * counters would buy nothing (the pool headers themselves move between the threads that take
 * turns), and a plain running total makes {@code peakInUse} the exact maximum.
 * {@code reserved} is 256 KiB per live arena plus the requested size of each large block.
 */
public final class SizeClassPool implements Allocator {
    static final int ALIGNMENT = SizeClasses.ALIGNMENT;
    static final int NB_SMALL_SIZE_CLASSES = SizeClasses.COUNT;
    static final int POOL_SIZE = 4 * 1024;
    static final int ARENA_SIZE = 256 * 1024;
    static final int POOLS_PER_ARENA = ARENA_SIZE / POOL_SIZE;
    /** What is asked of malloc per arena: room to round the start up to a pool boundary. */
    static final long ARENA_CHUNK = ARENA_SIZE + POOL_SIZE - ALIGNMENT;

    // struct pool_header, as laid out on a 64-bit build. ref is a union of a pointer and a
    // uint count, so the count takes four bytes of an eight-byte slot.
    static final int REF_COUNT = 0;
    static final int FREEBLOCK = 8;
    static final int NEXTPOOL = 16;
    static final int PREVPOOL = 24;
    static final int ARENAINDEX = 32;
    static final int SZIDX = 36;
    static final int NEXTOFFSET = 40;
    static final int MAXNEXTOFFSET = 44;
    static final int POOL_OVERHEAD = 48;
    /** szidx of a pool carved but never initialised for a class; matches no class. */
    static final int DUMMY_SIZE_IDX = 0xffff;

    /** The subset of {@code struct arena_object} a Java-side arena table needs. */
    private static final class ArenaObject {
        final int index;
        /** The malloc'd chunk, kept across retirement until {@link #release()}; 0 if none yet. */
        long chunk;
        /** Whether the arena is live (pymalloc: {@code address != 0}). */
        boolean associated;
        /** First pool, the chunk rounded up to a pool boundary. */
        long firstPool;
        /** Next pool never carved (pymalloc: {@code pool_address}). */
        long poolAddress;
        /** Pools free: on {@link #freepools} or not yet carved. */
        int nfreepools;
        int ntotalpools;
        /** Singly linked list of empty pools, through their {@code nextpool} field. */
        long freepools;
        /** Neighbours in {@code usable_arenas}; {@code nextarena} also links the unused list. */
        ArenaObject nextarena;
        ArenaObject prevarena;

        ArenaObject(int index) {
            this.index = index;
        }
    }

    private final long limit;
    private long allocations;
    private long frees;

    /** First pool of each size class with a free block, or 0 (pymalloc: {@code usedpools}). */
    private final long[] usedpools = new long[NB_SMALL_SIZE_CLASSES];
    private ArenaObject[] arenas = new ArenaObject[0];
    /** Arenas with at least one free pool, fewest free pools first. */
    private ArenaObject usableArenas;
    /** Arena objects not associated with a live arena, chunked ones first. */
    private ArenaObject unusedArenas;
    private final LargeBlockTable largeBlocks = new LargeBlockTable();

    private long reserved;
    private long runningInUse;
    private long peakInUse;

    /** Bitmap of one pool's free blocks, reused by {@link #walk}: a pool holds at most 253. */
    private final long[] freeMap = new long[4];

    /** @param limit bytes {@code reserved} may reach; beyond it allocation fails */
    public SizeClassPool(long limit) {
        this.limit = limit;
    }

    /** The class size a request is rounded up to (pymalloc: {@code INDEX2SIZE}). */
    static int classSize(int sizeIndex) {
        return SizeClasses.classSize(sizeIndex);
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        // Unsigned, as pymalloc's size_t test: 0 and negative sizes take the checked large path.
        if (!SizeClasses.isSmall(size)) return allocateLarge(size, thread);
        int idx = SizeClasses.index(size);
        long pool = usedpools[idx];
        long block;
        if (pool != 0) {
            Memory.putInt(pool + REF_COUNT, Memory.getInt(pool + REF_COUNT) + 1);
            block = Memory.getLong(pool + FREEBLOCK);
            long next = Memory.getLong(block);
            Memory.putLong(pool + FREEBLOCK, next);
            if (next == 0) extendOrUnlink(pool, idx);
        } else {
            block = allocateFromNewPool(idx, size);
        }
        counted(thread, classSize(idx));
        return block;
    }

    /** pymalloc_pool_extend: keep a block at freeblock, or unlink the now full pool from usedpools. */
    private void extendOrUnlink(long pool, int idx) {
        int nextoffset = Memory.getInt(pool + NEXTOFFSET);
        if (nextoffset <= Memory.getInt(pool + MAXNEXTOFFSET)) {
            long fresh = pool + nextoffset;
            Memory.putLong(fresh, 0);
            Memory.putLong(pool + FREEBLOCK, fresh);
            Memory.putInt(pool + NEXTOFFSET, nextoffset + classSize(idx));
        } else {
            // Full: it rejoins a list when one of its blocks is freed.
            unlinkUsed(pool, idx);
        }
    }

    /** The slow path: no pool of this class has a free block. */
    private long allocateFromNewPool(int idx, long request) {
        if (usableArenas == null) {
            usableArenas = newArena(request);
            usableArenas.nextarena = null;
            usableArenas.prevarena = null;
        }
        ArenaObject arena = usableArenas;
        long pool = arena.freepools;
        if (pool != 0) {
            arena.freepools = Memory.getLong(pool + NEXTPOOL);
        } else {
            pool = arena.poolAddress;
            arena.poolAddress += POOL_SIZE;
            Memory.putInt(pool + ARENAINDEX, arena.index);
            Memory.putInt(pool + SZIDX, DUMMY_SIZE_IDX);
        }
        // Taking a pool keeps the head the arena with the fewest free pools; a full arena
        // leaves the list until one of its pools empties.
        if (--arena.nfreepools == 0) {
            usableArenas = arena.nextarena;
            if (usableArenas != null) usableArenas.prevarena = null;
        }

        pushUsed(pool, idx);
        Memory.putInt(pool + REF_COUNT, 1);
        if (Memory.getInt(pool + SZIDX) == idx) {
            // Last used for this class: its free list holds every block below nextoffset,
            // at least two, so popping one leaves freeblock set.
            long block = Memory.getLong(pool + FREEBLOCK);
            long next = Memory.getLong(block);
            assert next != 0 : "empty pool 0x" + Long.toHexString(pool) + " had a single free block";
            Memory.putLong(pool + FREEBLOCK, next);
            return block;
        }
        int blockSize = classSize(idx);
        long first = pool + POOL_OVERHEAD;
        long second = first + blockSize;
        Memory.putInt(pool + SZIDX, idx);
        Memory.putInt(pool + NEXTOFFSET, POOL_OVERHEAD + 2 * blockSize);
        Memory.putInt(pool + MAXNEXTOFFSET, POOL_SIZE - blockSize);
        Memory.putLong(second, 0);
        Memory.putLong(pool + FREEBLOCK, second);
        return first;
    }

    private ArenaObject newArena(long request) {
        reserve(ARENA_SIZE, request);
        if (unusedArenas == null) growArenaTable();
        ArenaObject arena = unusedArenas;
        if (arena.chunk == 0) arena.chunk = systemMalloc(ARENA_CHUNK, request);
        unusedArenas = arena.nextarena;
        arena.associated = true;
        arena.firstPool = (arena.chunk + POOL_SIZE - 1) & -POOL_SIZE;
        arena.poolAddress = arena.firstPool;
        arena.nfreepools = POOLS_PER_ARENA;
        arena.ntotalpools = POOLS_PER_ARENA;
        arena.freepools = 0;
        reserved += ARENA_SIZE;
        return arena;
    }

    /** Doubles the arena table, as pymalloc reallocs {@code arenas}; only when every entry is live. */
    private void growArenaTable() {
        int old = arenas.length;
        ArenaObject[] grown = Arrays.copyOf(arenas, Math.max(16, old * 2));
        for (int i = grown.length - 1; i >= old; i--) {
            grown[i] = new ArenaObject(i);
            grown[i].nextarena = unusedArenas;
            unusedArenas = grown[i];
        }
        arenas = grown;
    }

    private long allocateLarge(long size, ThreadContext thread) {
        if (size <= 0) throw new IllegalArgumentException("size-class-pool: cannot allocate " + size + " bytes");
        reserve(size, size);
        long block = systemMalloc(size, size);
        assert (block & (ALIGNMENT - 1)) == 0 : "malloc returned 0x" + Long.toHexString(block);
        largeBlocks.put(block, size);
        reserved += size;
        counted(thread, size);
        return block;
    }

    private void counted(ThreadContext thread, long bytes) {
        allocations++;
        runningInUse += bytes;
        if (runningInUse > peakInUse) peakInUse = runningInUse;
    }

    @Override
    public void free(long address, long size, ThreadContext thread) {
        if (!SizeClasses.isSmall(size)) {
            freeLarge(address, size, thread);
            return;
        }
        int idx = SizeClasses.index(size);
        int blockSize = classSize(idx);
        long pool = address & -POOL_SIZE;
        assert isHandedOut(pool, idx, address) : describeBadFree(pool, idx, address, size);

        // Poison first: the link must survive in the block's first word.
        Memory.poison(address, blockSize);
        long lastfree = Memory.getLong(pool + FREEBLOCK);
        Memory.putLong(address, lastfree);
        Memory.putLong(pool + FREEBLOCK, address);
        int count = Memory.getInt(pool + REF_COUNT) - 1;
        Memory.putInt(pool + REF_COUNT, count);
        if (lastfree == 0) {
            // The pool was full and in no list. Every pool holds at least 7 blocks, so it is
            // not empty now; at the front of usedpools it is refilled first.
            pushUsed(pool, idx);
        } else if (count == 0) {
            unlinkUsed(pool, idx);
            poolEmptied(pool);
        }
        frees++;
        runningInUse -= blockSize;
    }

    /** The arena bookkeeping of pymalloc_free once a pool has no block in use. */
    private void poolEmptied(long pool) {
        ArenaObject arena = arenas[Memory.getInt(pool + ARENAINDEX)];
        Memory.putLong(pool + NEXTPOOL, arena.freepools);
        arena.freepools = pool;
        int nf = ++arena.nfreepools;

        if (nf == arena.ntotalpools && arena.nextarena != null) {
            unlinkUsable(arena);
            retire(arena);
            return;
        }
        if (nf == 1) {
            // It was full, so out of the list; one free pool is the fewest there is.
            arena.prevarena = null;
            arena.nextarena = usableArenas;
            if (usableArenas != null) usableArenas.prevarena = arena;
            usableArenas = arena;
            return;
        }
        if (arena.nextarena == null || nf <= arena.nextarena.nfreepools) return;
        // Move it towards the end, past every arena with fewer free pools.
        unlinkUsable(arena);
        while (arena.nextarena != null && nf > arena.nextarena.nfreepools) {
            arena.prevarena = arena.nextarena;
            arena.nextarena = arena.nextarena.nextarena;
        }
        arena.prevarena.nextarena = arena;
        if (arena.nextarena != null) arena.nextarena.prevarena = arena;
    }

    /** Unlinks from usable_arenas, leaving the arena's own links for the caller to reuse. */
    private void unlinkUsable(ArenaObject arena) {
        if (arena.prevarena != null) arena.prevarena.nextarena = arena.nextarena;
        else usableArenas = arena.nextarena;
        if (arena.nextarena != null) arena.nextarena.prevarena = arena.prevarena;
    }

    private void retire(ArenaObject arena) {
        Memory.poison(arena.firstPool, ARENA_SIZE);
        arena.associated = false;
        arena.nextarena = unusedArenas;
        unusedArenas = arena;
        reserved -= ARENA_SIZE;
    }

    private void freeLarge(long address, long size, ThreadContext thread) {
        long recorded = largeBlocks.sizeOf(address);
        if (recorded != size) {
            throw new IllegalStateException("size-class-pool: free of 0x" + Long.toHexString(address) + " with size " + size
                    + (recorded < 0 ? ", which is not a live large block" : ", but it was allocated with " + recorded));
        }
        largeBlocks.remove(address);
        Memory.poison(address, size);
        SystemMalloc.free(address);
        reserved -= size;
        frees++;
        runningInUse -= size;
    }

    /** Links a pool at the front of its class's usedpools list. */
    private void pushUsed(long pool, int idx) {
        long first = usedpools[idx];
        Memory.putLong(pool + NEXTPOOL, first);
        Memory.putLong(pool + PREVPOOL, 0);
        if (first != 0) Memory.putLong(first + PREVPOOL, pool);
        usedpools[idx] = pool;
    }

    private void unlinkUsed(long pool, int idx) {
        long next = Memory.getLong(pool + NEXTPOOL);
        long prev = Memory.getLong(pool + PREVPOOL);
        if (prev == 0) usedpools[idx] = next;
        else Memory.putLong(prev + NEXTPOOL, next);
        if (next != 0) Memory.putLong(next + PREVPOOL, prev);
    }

    private void reserve(long bytes, long request) {
        if (reserved + bytes > limit) {
            throw new SimulatedOutOfMemoryError("size-class-pool: reserving " + bytes + " bytes for a " + request
                    + "-byte request would exceed max-bytes " + limit + "; " + statistics());
        }
    }

    private long systemMalloc(long bytes, long request) {
        try {
            return SystemMalloc.malloc(bytes);
        } catch (SimulatedOutOfMemoryError e) {
            throw new SimulatedOutOfMemoryError("size-class-pool: " + e.getMessage() + " for a " + request
                    + "-byte request; " + statistics());
        }
    }

    // Checks for assertions (on in tests): cost nothing when disabled.

    private boolean isHandedOut(long pool, int idx, long address) {
        long offset = address - pool - POOL_OVERHEAD;
        return Memory.getInt(pool + SZIDX) == idx
                && Memory.getInt(pool + REF_COUNT) > 0
                && offset >= 0 && offset % classSize(idx) == 0
                && offset + POOL_OVERHEAD < Memory.getInt(pool + NEXTOFFSET);
    }

    private String describeBadFree(long pool, int idx, long address, long size) {
        return "size-class-pool: free of 0x" + Long.toHexString(address) + " with size " + size + " (class " + idx
                + "), but its pool 0x" + Long.toHexString(pool) + " has class " + Memory.getInt(pool + SZIDX)
                + ", " + Memory.getInt(pool + REF_COUNT) + " blocks in use and nextoffset "
                + Memory.getInt(pool + NEXTOFFSET);
    }

    @Override
    public boolean isThreadSafe() {
        return false;
    }

    @Override
    public void walk(BlockVisitor visitor) {
        for (ArenaObject arena : arenas) {
            if (!arena.associated) continue;
            for (long pool = arena.firstPool; pool < arena.poolAddress; pool += POOL_SIZE) {
                int inUse = Memory.getInt(pool + REF_COUNT);
                if (inUse == 0) continue; // on the arena's freepools
                walkPool(pool, inUse, visitor);
            }
        }
        largeBlocks.forEach(visitor);
    }

    /** Visits the blocks below nextoffset that are not on the free list. */
    private void walkPool(long pool, int inUse, BlockVisitor visitor) {
        int blockSize = classSize(Memory.getInt(pool + SZIDX));
        Arrays.fill(freeMap, 0);
        for (long b = Memory.getLong(pool + FREEBLOCK); b != 0; b = Memory.getLong(b)) {
            int i = (int) ((b - pool - POOL_OVERHEAD) / blockSize);
            freeMap[i >>> 6] |= 1L << i;
        }
        int end = Memory.getInt(pool + NEXTOFFSET);
        int visited = 0;
        for (int offset = POOL_OVERHEAD, i = 0; offset < end; offset += blockSize, i++) {
            if ((freeMap[i >>> 6] & (1L << i)) != 0) continue;
            visitor.visit(pool + offset, blockSize);
            visited++;
        }
        assert visited == inUse : "pool 0x" + Long.toHexString(pool) + " counts " + inUse + " blocks in use, walk found " + visited;
    }

    @Override
    public AllocatorStatistics statistics() {
        return new AllocatorStatistics(reserved, runningInUse, peakInUse, allocations, frees);
    }

    @Override
    public void release() {
        for (ArenaObject arena : arenas) {
            if (arena.chunk != 0) SystemMalloc.free(arena.chunk);
        }
        largeBlocks.forEach((address, size) -> SystemMalloc.free(address));
        largeBlocks.clear();
        arenas = new ArenaObject[0];
        usableArenas = null;
        unusedArenas = null;
        Arrays.fill(usedpools, 0);
        reserved = 0;
    }
}
