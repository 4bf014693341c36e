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
 * as {@link Event#GC_ACCESS} instead of loads, stores and atomics. A bulk access counts once,
 * and the lines its length needs beyond the first as {@link Event#BULK_LINE}s.
 *
 * <p><b>Races the turns cannot see.</b> A turn is a whole request, so a line that came from
 * another core is kept for the rest of the turn, however often another core, running at the
 * same time, would have written it meanwhile. For each line that arrived by a transfer in a
 * turn the model keeps the turn's accesses {@code a} to it (the arriving one included) and
 * its writes {@code w}, and at the end of the turn adds {@link Event#LINE_RACE} events
 * {@code (a - 1) min(1, (N - 1) w / a)}: each later access finds the line gone with the chance
 * that one of the {@code N - 1} other cores, doing the same work at the same time, wrote it in
 * between (their writes per access of this turn's). A line both sides hammer with atomics
 * (a shared object's count) races on every access; one written once and then read many times
 * rarely does. The estimate assumes the other cores run the same mix at the same rate, and is
 * added to the line's transfers, so a shared line's races also bound throughput.
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
    /** Logical cores N of the run: the races estimate's other cores are N - 1. */
    private int cores = 1;
    /** Turns so far: a line's arrival is stamped with its turn. */
    private long turn = 1;
    /** Line to (int) its accesses this turn since it arrived, and (long) its turn stamp and writes, packed. */
    private final AddressTable arrivals = new AddressTable();
    /** The lines that arrived in the current turn. */
    private long[] arrived = new long[64];
    private int arrivedCount;
    /** Per core, the fraction of a race not yet counted (counts are whole). */
    private final double[] raceRemainder = new double[org.pxlab.runtime.exec.ThreadContext.MAX_THREADS];

    CoherenceModel(EventCounts counts) {
        this.counts = counts;
    }

    /** The accesses from now on are core {@code core}'s, when made on the calling Java thread: a new turn. */
    void runAs(int core) {
        endTurn();
        this.driver = Thread.currentThread();
        this.core = core;
    }

    /** The logical cores of the run, for the races estimate (1: no other core, no races). */
    void cores(int n) {
        this.cores = n;
    }

    /** Ends the current turn: adds the races of the lines that arrived in it. */
    void endTurn() {
        for (int i = 0; i < arrivedCount; i++) {
            int s = arrivals.find(arrived[i]);
            long a = arrivals.intAt(s) + 1L;
            long w = arrivals.longAt(s) & WRITES_MASK;
            double races = (a - 1) * Math.min(1.0, (double) (cores - 1) * w / a);
            if (races <= 0) continue;
            double total = raceRemainder[core] + races;
            long whole = (long) total;
            raceRemainder[core] = total - whole;
            counts.add(core, Event.LINE_RACE, whole);
            int t = transfersPerLine.slot(arrived[i]);
            transfersPerLine.setLong(t, transfersPerLine.longAt(t) + whole);
        }
        arrivedCount = 0;
        turn++;
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
        // by length, not by the lines spanned: where an arena's block starts is not deterministic
        if (bytes > 64) counts.add(c, Event.BULK_LINE, (bytes - 1) >>> LINE_SHIFT);
        long last = (address + Math.max(bytes, 1) - 1) >>> LINE_SHIFT;
        for (long line = address >>> LINE_SHIFT; line <= last; line++) {
            if (kind == LOAD) read(line, c);
            else write(line, c);
        }
    }

    private static final int WRITE_SHIFT = 40;
    private static final long WRITES_MASK = (1L << WRITE_SHIFT) - 1;

    /** Notes an access to {@code line} in this turn after it arrived (the arrival itself is {@link #arrived}). */
    private void revisit(long line, boolean write) {
        int s = arrivals.find(line);
        if (s < 0 || arrivals.longAt(s) >>> WRITE_SHIFT != turn) return;
        arrivals.setInt(s, arrivals.intAt(s) + 1);
        if (write) arrivals.setLong(s, arrivals.longAt(s) + 1);
    }

    /** {@code line} came from another core in this turn. */
    private void arrived(long line, boolean write) {
        int s = arrivals.slot(line);
        if (arrivals.longAt(s) >>> WRITE_SHIFT == turn) {
            // came back in the same turn (only main's accesses on another Java thread do that): one more access
            revisit(line, write);
            return;
        }
        arrivals.setInt(s, 0);
        arrivals.setLong(s, turn << WRITE_SHIFT | (write ? 1 : 0));
        if (arrivedCount == arrived.length) arrived = java.util.Arrays.copyOf(arrived, arrivedCount * 2);
        arrived[arrivedCount++] = line;
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
        if ((sharers & bit) != 0) {
            revisit(line, false);
            return;
        }
        if (sharers != 0) {
            transferred(line, c, Event.LINE_READ_TRANSFER);
            arrived(line, false);
        }
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
            arrived(line, true);
        } else {
            revisit(line, true);
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
