package org.pxlab.stress.allocator;

import java.util.ArrayDeque;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.stress.support.Components;
import org.pxlab.stress.support.Housekeeping;

/**
 * Private free lists of a {@code size-class-pool}, prepared so that two threads racing
 * {@code allocate} on one of them can hand out the same block but can never make the
 * allocator follow a pointer that is not a block: the pool for {@link SizeClassPoolUnlockedControl}.
 *
 * <h2>A lane</h2>
 * One size class of one allocator instance (a <em>rig</em>). pymalloc keeps one free list per
 * size class, in the header of that class's pool, so the lanes of a rig share no simulated
 * memory that their fast paths touch; {@value #LANES} lanes (16 to 128 bytes) share one
 * 256 KiB arena instead of taking one each. A lane is prepared, under
 * {@link Housekeeping#LOCK}, by allocating {@value #ANCHORS} blocks that stay live (anchors)
 * and then {@value #FREE} more that are freed again: its free list then holds exactly those
 * {@value #FREE} blocks (the {@linkplain #freeBlocks free set}) followed by one untouched block.
 *
 * <h2>Why the race cannot reach a bad pointer</h2>
 * Each actor calls {@code allocate} once, on the fast path: increment the pool's
 * {@code ref.count}, load {@code freeblock}, load the block's first word (the next link),
 * store it into {@code freeblock}. With at least three blocks on the list neither actor sees
 * a null link, so neither takes the slow path (no pool or arena bookkeeping, which the lanes
 * of a rig do share). Nobody writes into a block while it is handed out (the actors only
 * report addresses), so every link an actor loads is one the allocator wrote, and whatever
 * the interleaving, {@code freeblock} ends on a block of the list: both actors get the first
 * block (the hazard), or one gets the first and the other the second. What can be lost is an
 * increment of {@code ref.count}; it drifts by at most one per use, so a lane is retired after
 * {@value #USES} uses, fewer than its anchors, and the count never reaches zero (which would
 * make a free return the pool to its arena while blocks are live).
 *
 * <h2>Resetting</h2>
 * The arbiter checks the two addresses against the free set before anything is freed. If
 * both are in it, it frees each distinct block once, under the lock, and the lane is back to
 * its prepared shape. If either is not (a corrupted free list, which the argument above says
 * cannot happen), nothing is freed, no pointer is followed, and the whole rig is retired. A rig
 * whose lanes are all retired is {@linkplain Allocator#release() released}.
 */
final class SizeClassLanes {
    /** Lanes per rig: size classes 16, 32, ... 128 bytes. */
    static final int LANES = 8;
    /** Live blocks that keep each lane's pool in use; more than {@link #USES}. */
    static final int ANCHORS = 16;
    /** Blocks on a lane's free list when a race starts (before one untouched block). */
    static final int FREE = 4;
    /** Uses of a lane before it is retired: each may lose one ref.count increment. */
    static final int USES = 8;

    /** One allocator instance and the bookkeeping of its lanes; guarded by the lock. */
    private static final class Rig {
        final Allocator allocator = Components.allocator("size-class-pool");
        int retired;
        boolean corrupt;
    }

    /** One size class of a rig, held by one state at a time. */
    static final class Lane {
        private final Rig rig;
        /** The block size of this lane's class. */
        final long size;
        /** Blocks on the lane's free list when a race starts. */
        private final long[] freeBlocks = new long[FREE];
        private int uses;

        private Lane(Rig rig, long size) {
            this.rig = rig;
            this.size = size;
        }

        /** The allocator the actors race on. */
        Allocator allocator() {
            return rig.allocator;
        }

        /** Whether {@code address} is one of the blocks the lane's free list held. Compares only. */
        boolean isFreeBlock(long address) {
            for (long b : freeBlocks) {
                if (b == address) return true;
            }
            return false;
        }
    }

    private final ArrayDeque<Lane> idle = new ArrayDeque<>();
    private int rigs;

    /** A prepared lane that no other state holds. */
    Lane take() {
        synchronized (Housekeeping.LOCK) {
            while (true) {
                if (idle.isEmpty()) prepareRig();
                Lane lane = idle.pollFirst();
                if (!lane.rig.corrupt) return lane;
                retire(lane);
            }
        }
    }

    /**
     * Gives a lane back after a race that handed out {@code first} and {@code second}: frees
     * them if they are blocks of its free set, or retires the rig if not.
     */
    void give(Lane lane, long first, long second) {
        synchronized (Housekeeping.LOCK) {
            if (lane.isFreeBlock(first) && lane.isFreeBlock(second)) {
                lane.rig.allocator.free(first, lane.size, Housekeeping.CONTEXT);
                if (second != first) lane.rig.allocator.free(second, lane.size, Housekeeping.CONTEXT);
            } else {
                lane.rig.corrupt = true;
            }
            if (++lane.uses < USES && !lane.rig.corrupt) {
                idle.addFirst(lane);
            } else {
                retire(lane);
            }
        }
    }

    /** Rigs prepared so far (for tests of the pool). */
    int rigs() {
        synchronized (Housekeeping.LOCK) {
            return rigs;
        }
    }

    private void retire(Lane lane) {
        if (++lane.rig.retired == LANES) lane.rig.allocator.release();
    }

    private void prepareRig() {
        Rig rig = new Rig();
        rigs++;
        for (int c = 0; c < LANES; c++) {
            Lane lane = new Lane(rig, 16L * (c + 1));
            for (int i = 0; i < ANCHORS; i++) rig.allocator.allocate(lane.size, Housekeeping.CONTEXT);
            for (int i = 0; i < FREE; i++) lane.freeBlocks[i] = rig.allocator.allocate(lane.size, Housekeeping.CONTEXT);
            // Freed last to first, so the list pops them first to last.
            for (int i = FREE - 1; i >= 0; i--) rig.allocator.free(lane.freeBlocks[i], lane.size, Housekeeping.CONTEXT);
            idle.addLast(lane);
        }
    }
}
