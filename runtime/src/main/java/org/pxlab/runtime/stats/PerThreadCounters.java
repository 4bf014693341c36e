package org.pxlab.runtime.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * A set of counters kept per runtime thread and summed on read.
 *
 * <p>Components count on every allocation or lock acquisition; one shared counter would put
 * a contended cache line into every measurement, which is the very cost pxlab studies. Here
 * each thread writes only its own slots, which sit 128 bytes apart from every other thread's
 * (two cache lines, against adjacent-line prefetch), with opaque stores so readers on other
 * threads see whole values. {@link #sum} adds the slots up: exact once writers have stopped,
 * and a value some time during the read while they run.
 *
 * <p>{@link #add} allocates nothing and costs a load and a store.
 */
public final class PerThreadCounters {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 16;

    private final int counters;
    private final int stride;
    private final long[] slots;

    /** @param counters how many counters (at most 16 per thread before padding grows) */
    public PerThreadCounters(int counters) {
        this.counters = counters;
        this.stride = ((counters + PAD - 1) / PAD) * PAD + PAD;
        this.slots = new long[ThreadContext.MAX_THREADS * stride + PAD];
    }

    /** Adds {@code delta} to counter {@code counter} of {@code thread}; only that thread may call this. */
    public void add(ThreadContext thread, int counter, long delta) {
        int i = PAD + thread.id() * stride + counter;
        SLOT.setOpaque(slots, i, (long) SLOT.getOpaque(slots, i) + delta);
    }

    /** Counter {@code counter} of one thread. */
    public long get(int threadId, int counter) {
        return (long) SLOT.getOpaque(slots, PAD + threadId * stride + counter);
    }

    /** Counter {@code counter} summed over all threads. */
    public long sum(int counter) {
        if (counter < 0 || counter >= counters) throw new IndexOutOfBoundsException(counter);
        long s = 0;
        for (int t = 0; t < ThreadContext.MAX_THREADS; t++) s += get(t, counter);
        return s;
    }
}
