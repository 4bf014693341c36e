package org.pxlab.allocator;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.ContextArena;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * PyParallel's parallel-context heap: a bump allocator over a chain of pages, with O(1)
 * snapshots and rollback ({@code bump-arena}).
 *
 * <p><b>The model.</b> PyParallel (Trent Nelson; {@code pyparallel/pyparallel}, branch
 * {@code 3.3-px}, {@code Python/pyparallel.c}) gives every parallel context, one per
 * connection, a private chain of {@code Heap}s. {@code _PyHeap_Malloc} bumps
 * {@code h->next} within the current heap; when a request does not fit, {@code Heap_Init}
 * starts the next heap of the chain, of {@code Px_NEW_HEAP_SIZE(n)}: the default heap size
 * (one page) or the request rounded up to whole pages, whichever is larger.
 * {@code _PyHeap_Free} only counts ({@code h->frees++}): nothing is reclaimed, because a
 * context's memory is given back wholesale. {@code _PxContext_HeapSnapshot} copies the heap
 * header (a {@code memcpy} of one struct: O(1)); one is taken before each request's callback
 * and one when the connection starts. {@code _PxContext_Rewind} walks back through the heaps
 * started since the snapshot, resetting and zeroing each ({@code _PyHeap_Reset}), and copies
 * the snapshot's header back over the current one: everything allocated since is gone, however
 * many objects that was. The newer heaps stay in the chain for the next request. Finalizers
 * registered for objects of the rolled-back region run first (PyParallel's rollback of a
 * context's heaps, with the finalizers the README's split-brain section describes).
 *
 * <p>Here: pages of {@code page-size} bytes (default 4 KiB, up to 2 MiB for PyParallel's large
 * pages) come zeroed from {@link SystemMalloc#calloc}. Blocks are bumped in 16-byte-aligned
 * slots. With {@code size-prefix} (the default, after PyParallel's design notes, though its
 * {@code _PyHeap_Malloc} writes none, so it is an option) each slot
 * begins with an 8-byte word holding the requested size, and the block follows it, so a page's
 * first slot starts at offset 8 and every slot start is 8 modulo 16: the returned addresses stay
 * 16-byte aligned at a cost of 8 bytes plus padding per block. A block whose slot does not fit a
 * fresh page gets a chunk of its own, its size rounded up to whole pages, next in the chain;
 * later small blocks use that chunk's tail. When a request does not fit the rest of the current
 * chunk, the rest is left unused and the next chunk is entered, as PyParallel abandons the rest
 * of a heap.
 *
 * <p><b>Snapshots.</b> {@link #snapshot()} records the position (chunk, bump offset) and the
 * counters in a fixed slot of a small stack inside the arena and returns a {@code long} handle:
 * a parallel context keeps its snapshots in {@code long} fields and no Java object is created
 * per request. Snapshots nest (connection start, then one per request). {@link #rollback}
 * rewinds to one, which stays valid, so the connection-start snapshot can be rewound for every
 * reuse of the context as {@code _PxContext_Rewind} is; every newer snapshot dies.
 * {@link #discard} forgets a snapshot (and every newer one) without rolling back, which is how a
 * per-request snapshot ends once rolled back: {@code rollback(s); discard(s);}. A dead handle is
 * refused with an {@link IllegalStateException} naming the live ones. Handles carry a per-arena
 * tag, so a handle of another arena is refused too (unless 16,384 arenas later the tag wraps).
 *
 * <p><b>Cost of a rollback.</b> Independent of the number of objects: it moves the position
 * back and restores counters. It does zero the bytes bumped since the snapshot (and only those:
 * {@link BumpArenaStatistics#bytesZeroed()}), so its cost is proportional to bytes used, as
 * PyParallel's was to the heaps it reset; and it runs the finalizers registered since the
 * snapshot. Deviation: PyParallel zeroes each newer heap whole and, in the version read, leaves
 * the used tail of the snapshot's own heap as it was; pxlab zeroes exactly what was bumped,
 * everywhere, so the cost follows bytes used, not heap sizes, and every block is handed out
 * zeroed (PyParallel's heaps came from {@code HeapAlloc(HEAP_ZERO_MEMORY)}). A dangling pointer
 * into rolled-back memory therefore reads zeros (a NULL type, which checked accesses refuse)
 * until the memory is handed out again, then the new object: the hazard PyParallel had.
 *
 * <p><b>{@code zeroing: on-reuse}</b> (an option; the default is {@code on-rollback}, as above)
 * moves that work from the rollback to the allocations that reuse the bytes: a rollback runs
 * the finalizers and moves back, O(1) in bytes as well as in objects; each chunk remembers how
 * far it may hold old data, and an allocation below that mark zeroes its slot first (one
 * compare on the fast path). Every block is still handed out zeroed, but a dangling pointer into
 * rolled-back memory now reads the old object until the bytes are reused; under
 * {@code -Dpxlab.poison=true} the rollback poisons them instead, so tests still catch a use
 * after rollback. The total zeroing is the same or less (bytes never reused are never zeroed).
 *
 * <p><b>Free.</b> {@link #free} reclaims nothing. It checks that the block is live (inside the
 * bumped part of the chain; with a prefix also that the size matches and that it was not freed
 * already), marks the prefix freed so that {@link #walk} skips the block, poisons the block when
 * poisoning is on, and counts. {@code inUse} follows the SPI (handed out, not freed, not rolled
 * back), and {@link BumpArenaStatistics#bumpedBytes()} is what the arena really occupies,
 * freed blocks included. When a block older than a live snapshot is freed, the snapshot notes
 * its bytes, so that rolling back to it leaves {@code inUse} exact: a rollback does not undo
 * frees.
 *
 * <p><b>Finalizers.</b> {@link #registerFinalizer} records (block, action) in growable arrays
 * (no Java allocation per call once they have grown). A rollback runs the actions of blocks
 * allocated after the snapshot, newest registration first, each exactly once, before their
 * memory is zeroed, so an action may still read its block; {@link #reset()} runs them all.
 * Actions registered after a snapshot for blocks older than it survive the rollback. An action
 * must not call back into the arena (it is refused); if one throws, the others still run, the
 * rollback completes, and the first exception is rethrown with the others suppressed. Freeing a
 * block does not cancel its finalizer (a free reclaims nothing). {@link #release()} runs none.
 *
 * <p><b>Bookkeeping.</b> Chunk descriptors, the address index (chunk starts sorted, for
 * {@link #free} and {@link #registerFinalizer}, which must find a block's chunk from its
 * address: a binary search, after an O(1) test for the current chunk), the snapshot stack and
 * the finalizer table are Java arrays. PyParallel keeps each heap's header in simulated memory
 * (the next heap's header is allocated from the current heap); the memory it takes is a few
 * dozen bytes per 4 KiB page and is left out here.
 *
 * <p><b>Threads.</b> Not thread safe: a context's arena is used by one thread at a time (the
 * thread running that context), as PyParallel's context heaps were. The counters are plain
 * fields for the same reason: exact when read by that thread or once it has stopped.
 *
 * <p><b>Walk.</b> With a size prefix the walk reads the prefixes chunk by chunk and visits the
 * blocks bumped since the last reset, not rolled back and not freed. Without a prefix nothing
 * records where one block ends, and {@link #walk} refuses.
 */
public final class BumpArena implements ContextArena {
    /** Alignment of every block, as the SPI requires. */
    public static final int ALIGNMENT = 16;
    /** Smallest {@code page-size}: one x86-64 page, PyParallel's default heap. */
    public static final long MIN_PAGE_SIZE = 4096;
    /** Largest {@code page-size}: one x86-64 large page, PyParallel's optional heap size. */
    public static final long MAX_PAGE_SIZE = 2L << 20;
    /** Bytes of the size prefix before each block when it is enabled. */
    public static final int PREFIX_BYTES = 8;
    /** Largest request: positions keep a chunk offset in 40 bits. */
    public static final long MAX_REQUEST = 1L << 38;

    /** Prefix bit: the block was freed (the walk skips it, a second free is refused). */
    static final long FREED_BIT = 1L << 63;
    /** Prefix bit: a finalizer is registered for the block (a second registration is refused). */
    static final long FINALIZER_BIT = 1L << 62;
    static final long SIZE_MASK = (1L << 48) - 1;

    /** A position is {@code chainIndex << OFFSET_BITS | offset}: ordered as the chain is bumped. */
    private static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    /** A snapshot handle is {@code serial << DEPTH_BITS | depth}. */
    private static final int DEPTH_BITS = 16;
    private static final int MAX_DEPTH = (1 << DEPTH_BITS) - 1;
    /** Serials are {@code tag << TAG_SHIFT | count}: the tag tells arenas' handles apart. */
    private static final int TAG_SHIFT = 33;
    private static final AtomicInteger ARENA_TAGS = new AtomicInteger();

    private final long pageSize;
    private final boolean sizePrefix;
    /** {@code zeroing: on-reuse} (see the class comment). */
    private final boolean zeroOnReuse;
    /** {@code PREFIX_BYTES} or 0: the prefix of each slot, and the offset of a chunk's first slot. */
    private final int prefix;
    private final long limit;
    private final long tag;

    // Chunks by id, in creation order. The chain orders them; ids never change.
    private long[] chunkBase = new long[8];
    private long[] chunkCapacity = new long[8];
    /** Where the bump stopped in a chunk the chain has moved past (the current one's is {@link #bump}). */
    private long[] chunkUsed = new long[8];
    /**
     * With {@code zeroing: on-reuse}: per chunk, the offset below which its bytes may hold
     * rolled-back data (0 for a chunk fresh from {@code calloc}). Settled when the bump leaves
     * a chunk (the slow path) and when a rollback leaves the current one, so a rollback touches
     * one chunk only.
     */
    private long[] chunkDirty = new long[8];
    /** {@code chunkDirty} of the current chunk; 0 with eager zeroing, so the fast path's test never fires. */
    private long curDirty;
    private int[] chainIndexOf = new int[8];
    /** Chunk ids in chain order. Chunks after {@link #current} are empty and zero, kept for reuse. */
    private int[] chain = new int[8];
    private int chunks;
    // The address index: chunk starts in ascending order, and their ids.
    private long[] sortedBase = new long[8];
    private int[] sortedId = new int[8];

    // The bump position: chain index, and the current chunk's base, capacity and offset.
    private int current;
    private long curBase;
    /** The current chunk's capacity, or 0 while finalizers run, which sends allocation to the slow path. */
    private long curCapacity;
    private long bump;

    // The snapshot stack: entries [0, depth) are live, oldest first.
    private int depth;
    private long nextSerial;
    private long[] snapSerial = new long[4];
    private long[] snapPosition = new long[4];
    private long[] snapInUse = new long[4];
    private long[] snapBumped = new long[4];
    /** Bytes of blocks older than the snapshot freed since it was taken (a rollback does not undo them). */
    private long[] snapFreedBefore = new long[4];
    private int[] snapFinalizers = new int[4];

    // The finalizer table, in registration order.
    private long[] finBlock = new long[16];
    private long[] finPosition = new long[16];
    private BlockFinalizer[] finAction = new BlockFinalizer[16];
    private int finCount;
    private boolean finalizing;

    private long reserved;
    private long inUse;
    private long bumped;
    private long peakInUse;
    private long allocations;
    private long frees;
    private long snapshotsTaken;
    private long rollbacks;
    private long resets;
    private long finalizersRun;
    private long bytesZeroed;

    /**
     * @param pageSize   bytes per page: a power of two from {@link #MIN_PAGE_SIZE} to {@link #MAX_PAGE_SIZE}
     * @param sizePrefix whether each block has PyParallel's 8-byte size prefix (needed by {@link #walk})
     * @param limit      bytes {@code reserved} may reach; beyond it allocation fails
     */
    public BumpArena(long pageSize, boolean sizePrefix, long limit) {
        this(pageSize, sizePrefix, limit, false);
    }

    /**
     * @param zeroOnReuse {@code zeroing: on-reuse}: a rollback or reset only moves back (O(1)
     *                    in bytes too) and an allocation zeroes its slot where it reuses
     *                    rolled-back bytes; {@code false} ({@code zeroing: on-rollback}, the
     *                    default) zeroes at the rollback, as PyParallel did
     */
    public BumpArena(long pageSize, boolean sizePrefix, long limit, boolean zeroOnReuse) {
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("bump-arena: page size " + pageSize + " is not a power of two from "
                    + MIN_PAGE_SIZE + " to " + MAX_PAGE_SIZE);
        }
        if (limit <= 0) throw new IllegalArgumentException("bump-arena: max-bytes " + limit + " is not positive");
        this.pageSize = pageSize;
        this.sizePrefix = sizePrefix;
        this.prefix = sizePrefix ? PREFIX_BYTES : 0;
        this.limit = limit;
        this.zeroOnReuse = zeroOnReuse;
        this.tag = ((long) (ARENA_TAGS.getAndIncrement() & 0x3FFF)) << TAG_SHIFT;
        this.nextSerial = tag + 1;
        this.bump = prefix;
    }

    /** 4 KiB pages with a size prefix, unbounded: PyParallel's defaults. */
    public BumpArena() {
        this(MIN_PAGE_SIZE, true, Long.MAX_VALUE);
    }

    public long pageSize() {
        return pageSize;
    }

    /** Whether rolled-back bytes are zeroed when reused rather than at the rollback ({@code zeroing: on-reuse}). */
    public boolean zeroesOnReuse() {
        return zeroOnReuse;
    }

    public boolean hasSizePrefix() {
        return sizePrefix;
    }

    // ---- allocation ----

    @Override
    public long allocate(long size, ThreadContext thread) {
        // Unsigned: 0 and negative sizes fail the same test as oversized ones.
        if (Long.compareUnsigned(size - 1, MAX_REQUEST) >= 0) throw badSize(size);
        long slot = (size + prefix + (ALIGNMENT - 1)) & -ALIGNMENT;
        long offset = bump;
        if (slot > curCapacity - offset) return allocateInNextChunk(size, slot);
        if (offset < curDirty) zeroReused(offset, slot);
        bump = offset + slot;
        long block = curBase + offset + prefix;
        if (sizePrefix) Memory.putLong(block - PREFIX_BYTES, size);
        counted(slot);
        return block;
    }

    private void counted(long slot) {
        allocations++;
        bumped += slot;
        inUse += slot;
    }

    /**
     * Folds the current use into the peak. {@code inUse} rises only in {@link #allocate}, so
     * the peak is settled before each decrease (free, rollback, reset, release) and on read,
     * which keeps the compare off the bump fast path.
     */
    private void notePeak() {
        if (inUse > peakInUse) peakInUse = inUse;
    }

    /** The slow path: the slot does not fit the current chunk (or there is none yet). */
    private long allocateInNextChunk(long size, long slot) {
        if (finalizing) throw reentered("allocate");
        int next;
        if (chunks == 0) {
            next = 0;
        } else {
            chunkUsed[chain[current]] = bump;
            settleDirty();
            next = current + 1;
        }
        long need = prefix + slot;
        // Chunks after the current one are empty: any page fits a small block, and a large one
        // takes the first kept chunk big enough, moved to the front of the empty ones. Their
        // order does not matter, so repeating the same work after a rollback finds the same
        // chunks in the same places and reserves nothing new.
        int fit = -1;
        for (int i = next; i < chunks; i++) {
            if (chunkCapacity[chain[i]] >= need) {
                fit = i;
                break;
            }
        }
        if (fit < 0) fit = newChunk(need, size);
        if (fit != next) swapChain(fit, next);
        enter(next, prefix);
        long offset = bump;
        if (offset < curDirty) zeroReused(offset, slot);
        bump = offset + slot;
        long block = curBase + offset + prefix;
        if (sizePrefix) Memory.putLong(block - PREFIX_BYTES, size);
        counted(slot);
        return block;
    }

    /** Obtains a zeroed chunk of whole pages holding at least {@code need} bytes; returns its chain index. */
    private int newChunk(long need, long request) {
        long capacity = Math.max(pageSize, (need + pageSize - 1) & -pageSize);
        if (capacity > limit - reserved) {
            throw new SimulatedOutOfMemoryError("bump-arena: a " + capacity + "-byte chunk for a " + request
                    + "-byte request would exceed max-bytes " + limit + "; " + arenaStatistics());
        }
        long base;
        try {
            base = SystemMalloc.calloc(capacity);
        } catch (SimulatedOutOfMemoryError e) {
            throw new SimulatedOutOfMemoryError("bump-arena: " + e.getMessage() + " for a " + request + "-byte request; "
                    + arenaStatistics());
        }
        if ((base & (ALIGNMENT - 1)) != 0) {
            SystemMalloc.free(base);
            throw new IllegalStateException("bump-arena: calloc returned 0x" + Long.toHexString(base)
                    + ", not 16-byte aligned; blocks could not be aligned");
        }
        if (chunks == chunkBase.length) growChunkTables();
        int id = chunks++;
        chunkBase[id] = base;
        chunkCapacity[id] = capacity;
        chunkUsed[id] = prefix;
        chunkDirty[id] = 0; // calloc's memory is zero
        chain[id] = id;
        chainIndexOf[id] = id;
        // Insert into the address index.
        int at = Arrays.binarySearch(sortedBase, 0, id, base);
        at = at < 0 ? -at - 1 : at;
        System.arraycopy(sortedBase, at, sortedBase, at + 1, id - at);
        System.arraycopy(sortedId, at, sortedId, at + 1, id - at);
        sortedBase[at] = base;
        sortedId[at] = id;
        reserved += capacity;
        return id;
    }

    private void growChunkTables() {
        int n = chunkBase.length * 2;
        chunkBase = Arrays.copyOf(chunkBase, n);
        chunkCapacity = Arrays.copyOf(chunkCapacity, n);
        chunkUsed = Arrays.copyOf(chunkUsed, n);
        chunkDirty = Arrays.copyOf(chunkDirty, n);
        chainIndexOf = Arrays.copyOf(chainIndexOf, n);
        chain = Arrays.copyOf(chain, n);
        sortedBase = Arrays.copyOf(sortedBase, n);
        sortedId = Arrays.copyOf(sortedId, n);
    }

    private void swapChain(int a, int b) {
        int ida = chain[a];
        int idb = chain[b];
        chain[a] = idb;
        chain[b] = ida;
        chainIndexOf[idb] = a;
        chainIndexOf[ida] = b;
    }

    private void enter(int chainIndex, long offset) {
        int id = chain[chainIndex];
        current = chainIndex;
        curBase = chunkBase[id];
        curCapacity = chunkCapacity[id];
        curDirty = chunkDirty[id];
        bump = offset;
    }

    /** With {@code zeroing: on-reuse}: the current chunk may hold data up to the bump position. */
    private void settleDirty() {
        if (!zeroOnReuse || chunks == 0) return;
        int id = chain[current];
        if (bump > chunkDirty[id]) chunkDirty[id] = bump;
    }

    /** Zeroes the part of a slot that may hold rolled-back data ({@code zeroing: on-reuse}). */
    private void zeroReused(long offset, long slot) {
        long n = Math.min(slot, curDirty - offset);
        Memory.zero(curBase + offset, n);
        bytesZeroed += n;
    }

    private long position() {
        return ((long) current << OFFSET_BITS) | bump;
    }

    // ---- free ----

    @Override
    public void free(long address, long size, ThreadContext thread) {
        if (finalizing) throw reentered("free");
        if (Long.compareUnsigned(size - 1, MAX_REQUEST) >= 0) throw badSize(size);
        long slot = (size + prefix + (ALIGNMENT - 1)) & -ALIGNMENT;
        long slotPosition = liveSlot(address, slot, "free");
        if (sizePrefix) {
            long word = Memory.getLong(address - PREFIX_BYTES);
            checkPrefix(address, word, "free");
            if ((word & SIZE_MASK) != size) {
                throw new IllegalStateException("bump-arena: free of 0x" + Long.toHexString(address) + " with size " + size
                        + ", but it was allocated with " + (word & SIZE_MASK));
            }
            Memory.putLong(address - PREFIX_BYTES, word | FREED_BIT);
        }
        Memory.poison(address, slot - prefix);
        // Snapshot positions rise with depth: the block is older than a suffix of the stack,
        // usually none (requests free what they allocated), so this loop rarely runs.
        for (int k = depth - 1; k >= 0 && slotPosition < snapPosition[k]; k--) snapFreedBefore[k] += slot;
        frees++;
        notePeak();
        inUse -= slot;
    }

    private void checkPrefix(long address, long word, String operation) {
        if ((word & FREED_BIT) != 0) {
            throw new IllegalStateException("bump-arena: " + operation + " of 0x" + Long.toHexString(address)
                    + ", a block already freed (its size prefix is marked freed)");
        }
    }

    /**
     * The position of the slot of a live block, checking that the block lies within the bumped
     * part of the chain: not in memory rolled back, reset or never reached, nor in another arena.
     */
    private long liveSlot(long address, long slot, String operation) {
        long blockPosition = locate(address);
        if (blockPosition < 0 || (address & (ALIGNMENT - 1)) != 0 || (blockPosition & OFFSET_MASK) < prefix) {
            throw notLive(address, operation, "is not a block of this arena");
        }
        long slotPosition = blockPosition - prefix;
        int chainIndex = (int) (slotPosition >>> OFFSET_BITS);
        long offset = slotPosition & OFFSET_MASK;
        long end = chainIndex == current ? bump : chainIndex < current ? chunkUsed[chain[chainIndex]] : 0;
        if (offset + slot > end) {
            throw notLive(address, operation, "lies beyond the arena's bump position: it was rolled back or reset,"
                    + " or was never handed out");
        }
        return slotPosition;
    }

    @Override
    public boolean owns(long address) {
        return locate(address) >= 0;
    }

    /** The position of an address inside a chunk, or -1. */
    private long locate(long address) {
        if (chunks == 0) return -1;
        long offset = address - curBase;
        if (offset >= 0 && offset < chunkCapacity[chain[current]]) return ((long) current << OFFSET_BITS) | offset;
        int lo = 0;
        int hi = chunks - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedBase[mid] <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) return -1;
        int id = sortedId[found];
        offset = address - chunkBase[id];
        if (offset >= chunkCapacity[id]) return -1;
        return ((long) chainIndexOf[id] << OFFSET_BITS) | offset;
    }

    private IllegalStateException notLive(long address, String operation, String why) {
        return new IllegalStateException("bump-arena: " + operation + " of 0x" + Long.toHexString(address) + ", which " + why
                + "; " + arenaStatistics());
    }

    private static IllegalArgumentException badSize(long size) {
        return new IllegalArgumentException("bump-arena: a block of " + size + " bytes; sizes run from 1 to " + MAX_REQUEST);
    }

    private IllegalStateException reentered(String operation) {
        return new IllegalStateException("bump-arena: " + operation + " called from a finalizer while the arena rolls back"
                + " or resets; finalizers must not use the arena that is finalizing them");
    }

    // ---- snapshots ----

    /**
     * Records the arena's position and counters, in O(1) and without allocating (beyond the
     * first time the stack reaches a new depth).
     *
     * @return a handle for {@link #rollback} and {@link #discard}; never 0
     */
    @Override
    public long snapshot() {
        if (finalizing) throw reentered("snapshot");
        if (depth == MAX_DEPTH) throw new IllegalStateException("bump-arena: " + MAX_DEPTH + " snapshots are live already");
        if (depth == snapSerial.length) growSnapshotStack();
        int k = depth++;
        long serial = nextSerial++;
        snapSerial[k] = serial;
        snapPosition[k] = position();
        snapInUse[k] = inUse;
        snapBumped[k] = bumped;
        snapFreedBefore[k] = 0;
        snapFinalizers[k] = finCount;
        snapshotsTaken++;
        return serial << DEPTH_BITS | k;
    }

    private void growSnapshotStack() {
        int n = snapSerial.length * 2;
        snapSerial = Arrays.copyOf(snapSerial, n);
        snapPosition = Arrays.copyOf(snapPosition, n);
        snapInUse = Arrays.copyOf(snapInUse, n);
        snapBumped = Arrays.copyOf(snapBumped, n);
        snapFreedBefore = Arrays.copyOf(snapFreedBefore, n);
        snapFinalizers = Arrays.copyOf(snapFinalizers, n);
    }

    /**
     * Makes everything allocated since {@code snapshot} gone: runs the finalizers of those
     * blocks (newest registration first), zeroes their bytes, moves the bump position back
     * and restores the counters. Chunks entered since stay in the chain, empty, for reuse.
     * {@code snapshot} stays valid; every newer snapshot dies.
     *
     * @throws IllegalStateException if the snapshot is no longer live (an older one was rolled
     *         back to, it or an older one was discarded, or the arena was reset or released)
     */
    @Override
    public void rollback(long snapshot) {
        int k = indexOf(snapshot, "roll back to");
        notePeak();
        Throwable failure = rewind(snapPosition[k], snapFinalizers[k]);
        inUse = snapInUse[k] - snapFreedBefore[k];
        bumped = snapBumped[k];
        // Re-based, so that a second rollback to it (the connection-start snapshot, for every
        // reuse of the context) starts from here.
        snapInUse[k] = inUse;
        snapFreedBefore[k] = 0;
        depth = k + 1;
        rollbacks++;
        rethrow(failure);
    }

    /** Bytes bumped since {@code snapshot} (freed blocks included: free reclaims nothing). */
    @Override
    public long bytesSince(long snapshot) {
        return bumped - snapBumped[indexOf(snapshot, "measure the bytes since")];
    }

    /**
     * Forgets {@code snapshot} and every newer one without rolling back: what was allocated
     * since stays. A per-request snapshot ends with {@code rollback(s); discard(s);}.
     */
    @Override
    public void discard(long snapshot) {
        depth = indexOf(snapshot, "discard");
    }

    /** Whether {@code snapshot} can still be rolled back to. */
    public boolean isLive(long snapshot) {
        int k = (int) (snapshot & MAX_DEPTH);
        return snapshot > 0 && k < depth && snapSerial[k] == snapshot >>> DEPTH_BITS;
    }

    /** Snapshots that can still be rolled back to. */
    public int liveSnapshots() {
        return depth;
    }

    private int indexOf(long snapshot, String operation) {
        if (finalizing) throw reentered(operation);
        if (isLive(snapshot)) return (int) (snapshot & MAX_DEPTH);
        long serial = snapshot >>> DEPTH_BITS;
        String what = "snapshot #" + (serial - tag) + " (depth " + (snapshot & MAX_DEPTH) + ")";
        String why;
        if (snapshot <= 0 || (serial & -(1L << TAG_SHIFT)) != tag) {
            why = "is not a snapshot of this arena";
        } else {
            why = "is no longer live: a rollback to an older snapshot, a discard of it or of an older one, reset() or"
                    + " release() ended it";
        }
        StringBuilder live = new StringBuilder();
        for (int i = 0; i < depth; i++) live.append(i == 0 ? "" : ", ").append('#').append(snapSerial[i] - tag);
        return throwState("bump-arena: cannot " + operation + " " + what + ", which " + why + "; live snapshots, oldest"
                + " first: [" + live + "]");
    }

    private static int throwState(String message) {
        throw new IllegalStateException(message);
    }

    /**
     * Empties the arena in O(1) with respect to objects: runs every registered finalizer
     * (newest first), zeroes the bytes bumped, and ends every snapshot. Chunks are kept.
     */
    @Override
    public void reset() {
        if (finalizing) throw reentered("reset");
        notePeak();
        Throwable failure = rewind(prefix, 0);
        inUse = 0;
        bumped = 0;
        depth = 0;
        resets++;
        rethrow(failure);
    }

    /**
     * Runs the finalizers of blocks at or after {@code position} registered since entry
     * {@code fromEntry}, then zeroes from {@code position} to the bump position and moves back
     * to it. Returns a finalizer's exception, to be rethrown once the arena is consistent.
     */
    private Throwable rewind(long position, int fromEntry) {
        Throwable failure = null;
        if (finCount > fromEntry) {
            finalizing = true;
            long capacity = curCapacity;
            curCapacity = 0; // every allocation from a finalizer takes the slow path, which refuses it
            try {
                failure = runFinalizers(fromEntry, position);
            } finally {
                curCapacity = capacity;
                finalizing = false;
            }
        }
        if (chunks > 0) {
            int chainIndex = (int) (position >>> OFFSET_BITS);
            long offset = position & OFFSET_MASK;
            if (zeroOnReuse) {
                // O(1): the chunks left since were settled when the bump left them.
                if (Memory.POISON_ENABLED) erase(chainIndex, offset, false);
                settleDirty();
            } else {
                erase(chainIndex, offset, true);
            }
            enter(chainIndex, offset);
        }
        return failure;
    }

    private Throwable runFinalizers(int fromEntry, long position) {
        Throwable failure = null;
        for (int i = finCount - 1; i >= fromEntry; i--) {
            if (finPosition[i] < position) continue; // an older block: it survives the rollback
            BlockFinalizer action = finAction[i];
            finAction[i] = null;
            finalizersRun++;
            try {
                action.finalizeBlock(finBlock[i]);
            } catch (Throwable t) {
                if (failure == null) failure = t;
                else failure.addSuppressed(t);
            }
        }
        // Keep the survivors, in their order, at the front of the range.
        int kept = fromEntry;
        for (int i = fromEntry; i < finCount; i++) {
            if (finAction[i] == null) continue;
            finBlock[kept] = finBlock[i];
            finPosition[kept] = finPosition[i];
            finAction[kept] = finAction[i];
            kept++;
        }
        Arrays.fill(finAction, kept, finCount, null);
        finCount = kept;
        return failure;
    }

    /** Zeroes the bytes bumped from (chainIndex, offset) to the bump position, chunk by chunk. */
    private void erase(int chainIndex, long offset, boolean zero) {
        for (int i = chainIndex; i <= current; i++) {
            int id = chain[i];
            long start = i == chainIndex ? offset : prefix;
            long end = i == current ? bump : chunkUsed[id];
            if (end > start) {
                if (zero) {
                    Memory.zero(chunkBase[id] + start, end - start);
                    bytesZeroed += end - start;
                } else {
                    Memory.poison(chunkBase[id] + start, end - start);
                }
            }
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure == null) return;
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        throw new IllegalStateException("bump-arena: a finalizer failed", failure);
    }

    // ---- finalizers ----

    /**
     * Registers {@code action} to run once when {@code block} is rolled back or reset. At most
     * one action per block (checked through the prefix when there is one). Allocates nothing
     * once the table has grown to the arena's working size.
     */
    @Override
    public void registerFinalizer(long block, BlockFinalizer action) {
        Objects.requireNonNull(action, "action");
        if (finalizing) throw reentered("registerFinalizer");
        // The address must lie in the bumped part of the chain before its prefix may be read.
        long slotPosition = liveSlot(block, ALIGNMENT, "registerFinalizer");
        if (sizePrefix) {
            long word = Memory.getLong(block - PREFIX_BYTES);
            long size = word & SIZE_MASK;
            if (size == 0) throw notLive(block, "registerFinalizer", "is not the start of a block");
            liveSlot(block, (size + prefix + (ALIGNMENT - 1)) & -ALIGNMENT, "registerFinalizer");
            checkPrefix(block, word, "registerFinalizer");
            if ((word & FINALIZER_BIT) != 0) {
                throw new IllegalStateException("bump-arena: a finalizer is already registered for the block at 0x"
                        + Long.toHexString(block));
            }
            Memory.putLong(block - PREFIX_BYTES, word | FINALIZER_BIT);
        }
        if (finCount == finAction.length) {
            int n = finAction.length * 2;
            finBlock = Arrays.copyOf(finBlock, n);
            finPosition = Arrays.copyOf(finPosition, n);
            finAction = Arrays.copyOf(finAction, n);
        }
        finBlock[finCount] = block;
        finPosition[finCount] = slotPosition;
        finAction[finCount] = action;
        finCount++;
    }

    /** Finalizers registered and not yet run. */
    public int pendingFinalizers() {
        return finCount;
    }

    // ---- the rest of the SPI ----

    @Override
    public boolean isThreadSafe() {
        return false;
    }

    @Override
    public void walk(BlockVisitor visitor) {
        if (!sizePrefix) {
            throw new UnsupportedOperationException("bump-arena with size-prefix: false cannot walk its blocks: without"
                    + " PyParallel's 8-byte size prefix nothing records where one block ends and the next begins; use"
                    + " size-prefix: true (the default) with collectors that walk the heap");
        }
        if (chunks == 0) return;
        for (int i = 0; i <= current; i++) {
            int id = chain[i];
            long base = chunkBase[id];
            long end = i == current ? bump : chunkUsed[id];
            for (long offset = prefix; offset < end; ) {
                long word = Memory.getLong(base + offset);
                long size = word & SIZE_MASK;
                long slot = (size + prefix + (ALIGNMENT - 1)) & -ALIGNMENT;
                if (size == 0 || offset + slot > end) {
                    throw new IllegalStateException("bump-arena: corrupt size prefix 0x" + Long.toHexString(word) + " at 0x"
                            + Long.toHexString(base + offset) + " (chunk " + i + ", offset " + offset + " of " + end
                            + " bumped): a block overran its end");
                }
                if ((word & FREED_BIT) == 0) visitor.visit(base + offset + PREFIX_BYTES, slot - PREFIX_BYTES);
                offset += slot;
            }
        }
    }

    @Override
    public AllocatorStatistics statistics() {
        notePeak();
        return new AllocatorStatistics(reserved, inUse, peakInUse, allocations, frees);
    }

    /** Everything the arena counts, including its chunks and snapshot activity. */
    public BumpArenaStatistics arenaStatistics() {
        notePeak();
        return new BumpArenaStatistics(chunks, reserved / pageSize, reserved, inUse, bumped, peakInUse, allocations,
                frees, depth, snapshotsTaken, rollbacks, resets, finalizersRun, bytesZeroed);
    }

    /**
     * Returns every chunk to the C library. Finalizers are not run (call {@link #reset()} first
     * if they must) and every snapshot ends. The arena may be used again afterwards.
     */
    @Override
    public void release() {
        notePeak();
        for (int id = 0; id < chunks; id++) SystemMalloc.free(chunkBase[id]);
        chunks = 0;
        reserved = 0;
        inUse = 0;
        bumped = 0;
        depth = 0;
        Arrays.fill(finAction, 0, finCount, null);
        finCount = 0;
        current = 0;
        curBase = 0;
        curCapacity = 0;
        curDirty = 0;
        bump = prefix;
    }

    @Override
    public String toString() {
        return "bump-arena(page-size " + pageSize + (sizePrefix ? ", size prefix" : ", no prefix") + ")";
    }
}
