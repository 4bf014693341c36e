package org.pxlab.examples.buddy;

import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SimulatedOutOfMemoryError;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * The binary buddy system: every block is 2^k bytes at an offset from its region's start that
 * is a multiple of 2^k, so the block it was split from, and its <em>buddy</em> (the other
 * half), are found by arithmetic: the buddy of the block at offset x of size 2^k is at
 * x XOR 2^k. Allocation takes the smallest free block of order at least k and splits it in
 * halves, freeing the upper half at each step, until it is 2^k; freeing coalesces a block with
 * its buddy for as long as the buddy is free and whole, then puts the result on its order's
 * free list.
 *
 * <p>Source: K. C. Knowlton, "A fast storage allocator", Communications of the ACM 8(10),
 * 1965; D. E. Knuth, <i>The Art of Computer Programming</i>, vol. 1, section 2.5, Algorithm R
 * (buddy system reservation) and Algorithm S (buddy system liberation), whose names this class
 * keeps: {@code AVAIL[k]}, a doubly linked list of the free blocks of order k ({@code LINKF}
 * and {@code LINKB} in each free block's first two words, so a buddy is unlinked in constant
 * time), and per block {@code TAG} (free or reserved) and {@code KVAL} (its order).
 *
 * <p>Layout. Memory comes from the C library in <em>regions</em> of {@code regionBytes} (a
 * power of two; a request larger than that gets a region of its own, rounded up to a power of
 * two, returned to the system when it is freed). Knuth keeps {@code TAG} and {@code KVAL} in a
 * header word of every block, which a 16-byte block (the SPI's alignment) has no room for next
 * to its two links; here they live out of line, as Linux's page allocator keeps a page's
 * order in its {@code struct page} ({@code mm/page_alloc.c}, {@code __free_one_page}): one byte
 * per 16-byte unit of the region, at a block's first unit, {@code KVAL | 0x80} if the block is
 * free and {@code KVAL} if it is reserved, 0 elsewhere. The block's caller-visible bytes are
 * all the caller's, and a walk reads every live block's size from its byte.
 *
 * <p>Freeing checks the byte: a free of an address that is not a reserved block of the order
 * its size implies (a double free, a foreign pointer, a wrong size) throws rather than
 * corrupting the lists.
 *
 * <p>Threads: one lock around both operations (thread safe, as simple as it gets; a per-thread
 * cache in front, like the kernel's per-CPU page lists, is the usual next step). Internal
 * fragmentation is up to half a block: {@code inUse} counts the rounded 2^k, so footprint
 * comparisons show it. No Java object is allocated on the hot path: the lists and the region
 * table are arrays grown only when a region is added.
 */
public final class BuddyAllocator implements Allocator {
    /** Default region size: 1 MiB. */
    public static final long DEFAULT_REGION_BYTES = 1L << 20;
    public static final long MIN_REGION_BYTES = 1L << 12;
    public static final long MAX_REGION_BYTES = 1L << 30;

    /** The smallest block: 16 bytes (the SPI's alignment, and room for LINKF and LINKB). */
    static final int MIN_ORDER = 4;
    private static final int MAX_ORDER = 62;
    private static final int FREE = 0x80;
    private static final long LINKF = 0;
    private static final long LINKB = 8;

    private final int regionOrder;
    /** AVAIL[k]: the first free block of order k, or 0. */
    private final long[] avail = new long[MAX_ORDER + 1];
    /** Regions: base address, order, and the base of its tag bytes (one per 16-byte unit). */
    private long[] regionBase = new long[4];
    private int[] regionOrders = new int[4];
    private long[] regionTags = new long[4];
    private int regions;

    private long reserved;
    private long inUse;
    private long peakInUse;
    private long allocations;
    private long frees;

    /** @param regionBytes bytes per region obtained from the system, a power of two */
    public BuddyAllocator(long regionBytes) {
        if (Long.bitCount(regionBytes) != 1 || regionBytes < MIN_REGION_BYTES || regionBytes > MAX_REGION_BYTES) {
            throw new IllegalArgumentException("region size " + regionBytes + " is not a power of two from "
                    + MIN_REGION_BYTES + " to " + MAX_REGION_BYTES);
        }
        this.regionOrder = Long.numberOfTrailingZeros(regionBytes);
    }

    /** The order of the smallest block that holds {@code size} bytes. */
    static int orderOf(long size) {
        return Math.max(MIN_ORDER, 64 - Long.numberOfLeadingZeros(size - 1));
    }

    /** Knuth's Algorithm R. */
    @Override
    public synchronized long allocate(long size, ThreadContext thread) {
        if (size <= 0) throw new IllegalArgumentException("cannot allocate " + size + " bytes");
        if (size > 1L << MAX_ORDER - 1) throw new SimulatedOutOfMemoryError("buddy: " + size + " bytes is beyond any order; " + statistics());
        int k = orderOf(size);
        // R1: find the smallest j >= k with AVAIL[j] not empty; none: a new region.
        int j = k;
        while (j <= MAX_ORDER && avail[j] == 0) j++;
        if (j > MAX_ORDER) {
            j = Math.max(k, regionOrder);
            addRegion(j);
        }
        // R2: remove the block from its list.
        long block = avail[j];
        int region = regionOf(block);
        unlink(block, j);
        // R3, R4: split until it is of order k, the upper half of each split going back as a free block.
        while (j > k) {
            j--;
            long upper = block + (1L << j);
            push(upper, j);
            setTag(region, upper, j | FREE);
        }
        setTag(region, block, k);
        long bytes = 1L << k;
        allocations++;
        inUse += bytes;
        if (inUse > peakInUse) peakInUse = inUse;
        return block;
    }

    /** Knuth's Algorithm S. */
    @Override
    public synchronized void free(long address, long size, ThreadContext thread) {
        int k = size <= 0 || size > 1L << MAX_ORDER - 1 ? -1 : orderOf(size);
        int region = address == 0 ? -1 : regionOf(address);
        if (k < 0 || region < 0 || tag(region, address) != k) {
            throw new IllegalStateException("buddy: free of 0x" + Long.toHexString(address) + " (" + size
                    + " bytes) is not of a reserved block of this allocator with that size (freed twice, or never allocated here)");
        }
        Memory.poison(address, 1L << k);
        frees++;
        inUse -= 1L << k;
        long base = regionBase[region];
        int top = regionOrders[region];
        long block = address;
        // S1, S2: while the buddy is free and of the same order, unlink it and combine.
        while (k < top) {
            long buddy = base + ((block - base) ^ (1L << k));
            if (tag(region, buddy) != (k | FREE)) break;
            unlink(buddy, k);
            setTag(region, buddy, 0);
            setTag(region, block, 0);
            block = Math.min(block, buddy);
            k++;
        }
        // S3: the whole of an oversized region, free again, goes back to the system.
        if (k == top && top > regionOrder) {
            removeRegion(region);
            return;
        }
        push(block, k);
        setTag(region, block, k | FREE);
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public synchronized void walk(BlockVisitor visitor) {
        for (int r = 0; r < regions; r++) {
            long size = 1L << regionOrders[r];
            for (long offset = 0; offset < size; ) {
                int t = Memory.getByte(regionTags[r] + (offset >>> MIN_ORDER)) & 0xFF;
                long bytes = 1L << (t & ~FREE);
                if ((t & FREE) == 0) visitor.visit(regionBase[r] + offset, bytes);
                offset += bytes;
            }
        }
    }

    @Override
    public synchronized AllocatorStatistics statistics() {
        return new AllocatorStatistics(reserved, inUse, peakInUse, allocations, frees);
    }

    @Override
    public synchronized void release() {
        while (regions > 0) removeRegion(regions - 1);
        Arrays.fill(avail, 0);
    }

    // --- free lists: LINKF at word 0, LINKB at word 8 of each free block ---

    private void push(long block, int k) {
        long head = avail[k];
        Memory.putLong(block + LINKF, head);
        Memory.putLong(block + LINKB, 0);
        if (head != 0) Memory.putLong(head + LINKB, block);
        avail[k] = block;
    }

    private void unlink(long block, int k) {
        long next = Memory.getLong(block + LINKF);
        long previous = Memory.getLong(block + LINKB);
        if (previous == 0) avail[k] = next;
        else Memory.putLong(previous + LINKF, next);
        if (next != 0) Memory.putLong(next + LINKB, previous);
    }

    // --- regions and their tag bytes ---

    private int tag(int region, long block) {
        long offset = block - regionBase[region];
        if ((offset & ((1L << MIN_ORDER) - 1)) != 0) return -1;
        return Memory.getByte(regionTags[region] + (offset >>> MIN_ORDER)) & 0xFF;
    }

    private void setTag(int region, long block, int value) {
        Memory.putByte(regionTags[region] + ((block - regionBase[region]) >>> MIN_ORDER), (byte) value);
    }

    /** The region holding {@code address}, or -1. A linear scan: regions are few (and large ones rare). */
    private int regionOf(long address) {
        for (int r = 0; r < regions; r++) {
            long offset = address - regionBase[r];
            if (offset >= 0 && offset < 1L << regionOrders[r]) return r;
        }
        return -1;
    }

    private void addRegion(int order) {
        long bytes = 1L << order;
        long base = SystemMalloc.malloc(bytes); // 16-byte aligned: offsets are all the buddy arithmetic needs
        long tags = SystemMalloc.calloc(bytes >>> MIN_ORDER);
        if (regions == regionBase.length) {
            regionBase = Arrays.copyOf(regionBase, regions * 2);
            regionOrders = Arrays.copyOf(regionOrders, regions * 2);
            regionTags = Arrays.copyOf(regionTags, regions * 2);
        }
        regionBase[regions] = base;
        regionOrders[regions] = order;
        regionTags[regions] = tags;
        regions++;
        reserved += bytes + (bytes >>> MIN_ORDER);
        push(base, order);
        setTag(regions - 1, base, order | FREE);
    }

    private void removeRegion(int r) {
        long bytes = 1L << regionOrders[r];
        SystemMalloc.free(regionBase[r]);
        SystemMalloc.free(regionTags[r]);
        reserved -= bytes + (bytes >>> MIN_ORDER);
        regions--;
        regionBase[r] = regionBase[regions];
        regionOrders[r] = regionOrders[regions];
        regionTags[r] = regionTags[regions];
    }
}
