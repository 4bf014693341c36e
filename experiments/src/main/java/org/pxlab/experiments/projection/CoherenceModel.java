package org.pxlab.experiments.projection;

import org.pxlab.runtime.projection.MemoryObserver;

/**
 * A simple cache-coherence model over simulated memory: per 64-byte line, the core that owns
 * it for writing (or none, when only clean copies exist) and the set of cores holding a copy.
 * It is MESI reduced to what moves lines between cores:
 *
 * <ul>
 * <li>a <b>read</b> by a core that holds no copy adds it to the sharers; if another core held
 *     the line it is a {@link Event#LINE_READ_TRANSFER} (a modified owner is downgraded to a
 *     sharer), if nobody did a {@link Event#LINE_COLD} miss;</li>
 * <li>a <b>write</b> (or an atomic read-modify-write, which takes the line exclusive even when
 *     a compare-and-set fails) makes the writer the only holder; if any other core held a copy
 *     it is a {@link Event#LINE_WRITE_TRANSFER} (ownership moves, the copies are invalidated);
 *     a write by the only holder is silent (M or E to M, and S to M with no other sharer).</li>
 * </ul>
 *
 * <p>Caches are unbounded: no line is ever evicted, so only sharing moves lines, never
 * capacity (the model's blind spot for workloads whose data outgrows a cache). Cores are
 * runtime thread ids ({@code 0..63}); the current one is set by the counting run before each
 * turn, and an access from any other Java thread than the run's (the runtime's main thread,
 * serving a call into main) is charged to thread 0. Accesses inside a collector are counted
 * as {@link Event#GC_ACCESS} instead of loads, stores and atomics.
 */
public final class CoherenceModel implements MemoryObserver {
    /** log2 of the line size. */
    static final int LINE_SHIFT = 6;
    private static final int NO_OWNER = -1;

    private final EventCounts counts;
    private final AddressTable lines = new AddressTable();
    /** Line to the transfers it made since {@link #restartTransfers}: the hottest line bounds throughput. */
    private final AddressTable transfersPerLine = new AddressTable();
    private Thread driver;
    private int core;
    private int collecting;
    private long atomics;
    private long stores;

    CoherenceModel(EventCounts counts) {
        this.counts = counts;
    }

    /** The accesses from now on are core {@code core}'s, when made on the calling Java thread. */
    void runAs(int core) {
        this.driver = Thread.currentThread();
        this.core = core;
    }

    /** Brackets collector work (nested brackets count once). */
    void enterCollector() { collecting++; }
    void exitCollector() { collecting--; }

    /** Atomic accesses seen so far, whatever the phase: decorators compare before and after a call. */
    long atomics() { return atomics; }

    /** Stores seen so far, whatever the phase. */
    long stores() { return stores; }

    /** The core an access on the calling thread is charged to. */
    int currentCore() {
        return Thread.currentThread() == driver ? core : 0;
    }

    @Override
    public void access(long address, long bytes, int kind) {
        int c = currentCore();
        if (kind == ATOMIC) atomics++;
        else if (kind == STORE) stores++;
        if (collecting > 0) {
            counts.add(c, Event.GC_ACCESS);
        } else {
            counts.add(c, kind == LOAD ? Event.LOAD : kind == STORE ? Event.STORE : Event.ATOMIC);
        }
        long last = (address + Math.max(bytes, 1) - 1) >>> LINE_SHIFT;
        for (long line = address >>> LINE_SHIFT; line <= last; line++) {
            if (kind == LOAD) read(line, c);
            else write(line, c);
        }
    }

    /** A read of {@code line} by core {@code c}. */
    void read(long line, int c) {
        long bit = 1L << c;
        int s = lines.find(line);
        if (s < 0) {
            s = lines.slot(line);
            lines.setInt(s, NO_OWNER);
            lines.setLong(s, bit);
            counts.add(c, Event.LINE_COLD);
            return;
        }
        long sharers = lines.longAt(s);
        if ((sharers & bit) != 0) return;
        if (sharers != 0) transferred(line, c, Event.LINE_READ_TRANSFER);
        lines.setInt(s, NO_OWNER);
        lines.setLong(s, sharers | bit);
    }

    /** A write (or atomic update) of {@code line} by core {@code c}. */
    void write(long line, int c) {
        long bit = 1L << c;
        int s = lines.find(line);
        if (s < 0) {
            s = lines.slot(line);
            counts.add(c, Event.LINE_COLD);
        } else if ((lines.longAt(s) & ~bit) != 0) {
            transferred(line, c, Event.LINE_WRITE_TRANSFER);
        }
        lines.setInt(s, c);
        lines.setLong(s, bit);
    }

    private void transferred(long line, int c, Event e) {
        counts.add(c, e);
        int s = transfersPerLine.slot(line);
        transfersPerLine.setLong(s, transfersPerLine.longAt(s) + 1);
    }

    /** Forgets the per-line transfer counts (the end of warm-up). */
    void restartTransfers() {
        transfersPerLine.clearLongs();
    }

    /** Transfers of the line that moved most since {@link #restartTransfers}. */
    long hottestLineTransfers() {
        return transfersPerLine.maxLong();
    }

    /** The core owning {@code line} for writing, or -1 (clean copies only, or never touched). */
    int owner(long line) {
        return lines.intOf(line, NO_OWNER);
    }

    /** The cores holding a copy of {@code line}, as a bit set. */
    long sharers(long line) {
        int s = lines.find(line);
        return s < 0 ? 0 : lines.longAt(s);
    }
}
