package org.pxlab.runtime.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.BlockVisitor;

/**
 * A deliberately broken allocator, to prove that {@link AllocatorContract} notices overlap:
 * every other allocation returns the address of the block handed out just before, if that
 * block is still live and the request fits in it, so the new block lies inside a live one.
 * (Fitting matters: a larger block placed there would reach past the end of its chunk, and
 * writing it would corrupt the C library's heap rather than just the test's patterns.) Everything else is right:
 * addresses are non-zero and 16-byte aligned, statistics are exact (a doubled block counts in
 * {@code inUse} and, to keep {@code reserved >= inUse}, in {@code reserved} as though it had
 * memory of its own), and it is thread safe (one lock), so the kit's two-thread stress runs
 * against it too.
 *
 * <p>Otherwise a bump allocator over 1 MiB chunks from the C library: freed memory is not
 * reused before {@link #release()}. Never use it outside the kits' self-test.
 */
public final class OverlappingAllocator implements Allocator {
    private static final long CHUNK = 1 << 20;

    private final List<Long> chunks = new ArrayList<>();
    /** Live blocks by address: the rounded size of each hand-out there (two when doubled). */
    private final Map<Long, List<Long>> live = new HashMap<>();
    private long bump;
    private long bumpEnd;
    private long calls;
    private long previous;
    private long previousSize;
    private long reserved;
    private long inUse;
    private long peakInUse;
    private long allocations;
    private long frees;

    @Override
    public synchronized long allocate(long size, ThreadContext thread) {
        if (size <= 0) throw new IllegalArgumentException("cannot allocate " + size + " bytes");
        long rounded = (size + 15) & -16L;
        long p;
        if (++calls % 2 == 0 && rounded <= previousSize && live.containsKey(previous)) {
            p = previous; // the bug: inside a live block
            reserved += rounded;
        } else {
            p = bump(rounded);
        }
        live.computeIfAbsent(p, k -> new ArrayList<>(2)).add(rounded);
        if (p != previous) {
            previous = p;
            previousSize = rounded;
        }
        allocations++;
        inUse += rounded;
        peakInUse = Math.max(peakInUse, inUse);
        return p;
    }

    private long bump(long rounded) {
        if (rounded > CHUNK) return newChunk(rounded);
        if (bump + rounded > bumpEnd) {
            bump = newChunk(CHUNK);
            bumpEnd = bump + CHUNK;
        }
        long p = bump;
        bump += rounded;
        return p;
    }

    private long newChunk(long bytes) {
        long chunk = SystemMalloc.malloc(bytes); // 16-byte aligned on glibc
        chunks.add(chunk);
        reserved += bytes;
        return chunk;
    }

    @Override
    public synchronized void free(long address, long size, ThreadContext thread) {
        List<Long> sizes = live.get(address);
        long rounded = (size + 15) & -16L;
        if (sizes == null || !sizes.remove(rounded)) {
            throw new IllegalStateException("free of 0x" + Long.toHexString(address) + " (" + size + " bytes), not a live block");
        }
        if (sizes.isEmpty()) live.remove(address);
        Memory.poison(address, size);
        frees++;
        inUse -= rounded;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public synchronized void walk(BlockVisitor visitor) {
        live.forEach((address, sizes) -> sizes.forEach(size -> visitor.visit(address, size)));
    }

    @Override
    public synchronized AllocatorStatistics statistics() {
        return new AllocatorStatistics(reserved, inUse, peakInUse, allocations, frees);
    }

    @Override
    public synchronized void release() {
        chunks.forEach(SystemMalloc::free);
        chunks.clear();
        live.clear();
        bump = bumpEnd = 0;
    }
}
