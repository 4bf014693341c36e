package org.pxlab.experiments.projection;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * What a counting run counted: each {@link Event} per runtime thread (thread 0 is the main
 * thread, logical cores are the others), the allocations and frees of each allocator, and
 * the acquisitions of the most-acquired lock. Mutable while a run records; compared whole
 * by {@link #equals} (the determinism test).
 */
public final class EventCounts {
    private final long[][] perThread = new long[ThreadContext.MAX_THREADS][Event.all().length];
    /** Allocator label to {allocations, frees, remote frees}; sorted, so printing is stable. */
    private final Map<String, long[]> allocators = new TreeMap<>();
    private long hottestLock;
    private long hottestLine;

    /** Adds one event on {@code thread}. */
    void add(int thread, Event e) {
        perThread[thread][e.ordinal()]++;
    }

    /** Adds {@code n} events on {@code thread}. */
    void add(int thread, Event e, long n) {
        perThread[thread][e.ordinal()] += n;
    }

    /** The counters of one allocator ({allocations, frees, remote frees}), made on first use. */
    long[] allocator(String label) {
        return allocators.computeIfAbsent(label, k -> new long[3]);
    }

    void hottest(long lockAcquisitions, long lineTransfers) {
        hottestLock = lockAcquisitions;
        hottestLine = lineTransfers;
    }

    /** Zeroes every count (the end of warm-up). Allocator labels stay. */
    void reset() {
        for (long[] row : perThread) Arrays.fill(row, 0);
        for (long[] a : allocators.values()) Arrays.fill(a, 0);
        hottestLock = 0;
        hottestLine = 0;
    }

    /** The total of one kind over every thread. */
    public long total(Event e) {
        long sum = 0;
        for (long[] row : perThread) sum += row[e.ordinal()];
        return sum;
    }

    /** One kind on one runtime thread. */
    public long on(int thread, Event e) {
        return perThread[thread][e.ordinal()];
    }

    /** The total of one kind divided by the requests served (0 when none was). */
    public double perRequest(Event e) {
        long requests = total(Event.REQUEST);
        return requests == 0 ? 0 : (double) total(e) / requests;
    }

    /** Allocator label to {allocations, frees, remote frees} (copies). */
    public Map<String, long[]> allocators() {
        Map<String, long[]> out = new TreeMap<>();
        allocators.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    /** Acquisitions, since warm-up, of the lock acquired most often. */
    public long hottestLock() {
        return hottestLock;
    }

    /** Transfers, since warm-up, of the 64-byte line that moved between cores most often. */
    public long hottestLine() {
        return hottestLine;
    }

    /** The totals and the hottest lock and line, as {@code key=value} lines under {@code prefix}. */
    public String toLines(String prefix) {
        StringBuilder b = new StringBuilder();
        for (Event e : Event.all()) b.append(prefix).append(e.name()).append('=').append(total(e)).append('\n');
        b.append(prefix).append("HOTTEST_LOCK=").append(hottestLock).append('\n');
        b.append(prefix).append("HOTTEST_LINE=").append(hottestLine).append('\n');
        return b.toString();
    }

    /**
     * Reads back what {@link #toLines} wrote (totals only: every count lands on thread 0).
     *
     * @throws IllegalArgumentException naming a missing or malformed key
     */
    public static EventCounts fromLines(java.util.Map<String, String> lines, String prefix) {
        EventCounts c = new EventCounts();
        for (Event e : Event.all()) c.add(0, e, number(lines, prefix + e.name()));
        c.hottest(number(lines, prefix + "HOTTEST_LOCK"), number(lines, prefix + "HOTTEST_LINE"));
        return c;
    }

    private static long number(java.util.Map<String, String> lines, String key) {
        String v = lines.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("counts: " + key + " is " + v + ", not a whole number");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventCounts other)) return false;
        if (hottestLock != other.hottestLock || hottestLine != other.hottestLine || !Arrays.deepEquals(perThread, other.perThread)) return false;
        if (!allocators.keySet().equals(other.allocators.keySet())) return false;
        for (Map.Entry<String, long[]> e : allocators.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.allocators.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(perThread) * 31 + Long.hashCode(hottestLock);
    }

    /** Totals of every non-zero kind, one per line, then the allocators. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Event e : Event.all()) {
            long t = total(e);
            if (t != 0) b.append(String.format("%-22s %,14d%n", e.name().toLowerCase(), t));
        }
        allocators.forEach((k, v) -> b.append(String.format("%-22s alloc %,d free %,d remote %,d%n", k, v[0], v[1], v[2])));
        if (hottestLock != 0) b.append(String.format("%-22s %,14d%n", "hottest_lock", hottestLock));
        if (hottestLine != 0) b.append(String.format("%-22s %,14d%n", "hottest_line", hottestLine));
        return b.toString();
    }
}
