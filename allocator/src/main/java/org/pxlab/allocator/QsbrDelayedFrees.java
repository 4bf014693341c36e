package org.pxlab.allocator;

import java.util.Arrays;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * Blocks freed while lock-free readers may still read them, each held until its QSBR goal is
 * reached: CPython 3.13t's delayed-free work queue ({@code Objects/obmalloc.c}:
 * {@code _PyMem_FreeDelayed}, {@code free_delayed}, {@code _PyMem_ProcessDelayed},
 * {@code _PyMem_AbandonDelayed}), which holds the list item arrays and dict key tables that
 * {@code listobject.c} and {@code dictobject.c} replace while other threads may read them.
 *
 * <p>One queue per thread heap, touched by its owner only, and one shared queue of
 * abandoned requests that a detaching thread hands over and any thread drains under this
 * object's monitor. Entries are kept in three parallel arrays, oldest first; the arrays grow
 * by doubling and are otherwise reused, so steady-state queueing allocates nothing.
 */
final class QsbrDelayedFrees {
    private long[] blocks = new long[16];
    private long[] sizes = new long[16];
    private long[] goals = new long[16];
    private int head;
    private int tail;

    /** Whether nothing waits. */
    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return tail - head;
    }

    /** Queues a block behind {@code goal}. */
    void add(long block, long size, long goal) {
        if (tail == blocks.length) {
            if (head > 0) {
                compact();
            } else {
                int n = 2 * blocks.length;
                blocks = Arrays.copyOf(blocks, n);
                sizes = Arrays.copyOf(sizes, n);
                goals = Arrays.copyOf(goals, n);
            }
        }
        blocks[tail] = block;
        sizes[tail] = size;
        goals[tail] = goal;
        tail++;
    }

    /** The highest goal waiting (the newest: goals grow along one thread's queue), or {@code fallback} if none. */
    long newestGoal(long fallback) {
        return isEmpty() ? fallback : goals[tail - 1];
    }

    /**
     * Frees, through {@code allocator}, the blocks whose goals {@code qsbr} has reached, in
     * queue order, stopping at the first that must wait ({@code process_queue}). Scans the
     * threads' sequences only if the write sequence has reached the goal at all: otherwise
     * no thread can have observed it yet.
     */
    void process(Qsbr qsbr, ThreadShardedAllocator allocator, ThreadContext thread) {
        while (head < tail) {
            long goal = goals[head];
            if (Qsbr.lessThan(qsbr.current(), goal) || !qsbr.poll(goal)) break;
            allocator.freeDelayedNow(blocks[head], sizes[head], thread);
            head++;
        }
        if (head == tail) head = tail = 0;
    }

    /**
     * Frees every entry through {@code allocator}, whatever its goal, leaving the queue empty:
     * for a caller that knows no thread can still read any of them (the world is stopped).
     */
    void freeAll(ThreadShardedAllocator allocator, ThreadContext thread) {
        for (int i = head; i < tail; i++) allocator.freeDelayedNow(blocks[i], sizes[i], thread);
        head = tail = 0;
    }

    /** Moves every entry to {@code to}, leaving this queue empty ({@code _PyMem_AbandonDelayed}). */
    void moveTo(QsbrDelayedFrees to) {
        for (int i = head; i < tail; i++) to.add(blocks[i], sizes[i], goals[i]);
        head = tail = 0;
    }

    /**
     * For the shared queue, whose goals come from several threads and need not grow along it:
     * frees every entry whose goal is reached, keeping the others in order.
     */
    void processUnordered(Qsbr qsbr, ThreadShardedAllocator allocator, ThreadContext thread) {
        int kept = head;
        for (int i = head; i < tail; i++) {
            long goal = goals[i];
            if (!Qsbr.lessThan(qsbr.current(), goal) && qsbr.poll(goal)) {
                allocator.freeDelayedNow(blocks[i], sizes[i], thread);
            } else {
                blocks[kept] = blocks[i];
                sizes[kept] = sizes[i];
                goals[kept] = goals[i];
                kept++;
            }
        }
        tail = kept;
        if (head == tail) head = tail = 0;
    }

    /**
     * Appends the waiting blocks' addresses to {@code out} after its first {@code count[0]}
     * entries, growing it if needed, and advances {@code count[0]}; returns the array.
     */
    long[] appendBlocks(long[] out, int[] count) {
        for (int i = head; i < tail; i++) {
            if (count[0] == out.length) out = Arrays.copyOf(out, 2 * out.length);
            out[count[0]++] = blocks[i];
        }
        return out;
    }

    private void compact() {
        int n = tail - head;
        System.arraycopy(blocks, head, blocks, 0, n);
        System.arraycopy(sizes, head, sizes, 0, n);
        System.arraycopy(goals, head, goals, 0, n);
        head = 0;
        tail = n;
    }
}
