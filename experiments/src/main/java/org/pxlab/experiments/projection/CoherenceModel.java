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
 * same time, would have taken it meanwhile. For each line that arrived by a transfer in a turn
 * the model keeps, in the turn's running count of accesses, the index of the arriving access
 * and of the last one, their span {@code S = last - first}, and the line's accesses {@code a}
 * (the arriving one included), its writes {@code w} and the writes among the {@code a - 1}
 * later ones {@code w'}. At the end of a turn of {@code A} accesses it adds
 * {@link Event#LINE_RACE} events
 * <pre>
 *   races = min(a - 1, (N - 1) (w + r w' / (a - 1)) S / A)        r = a - w, the line's reads
 * </pre>
 * Each of the {@code N - 1} other cores runs the same mix at the same rate, at an unrelated
 * phase: its {@code w} writes of the line each fall inside this turn's span with the chance
 * {@code S / A}, and each that does takes the line, so that one later access finds it gone.
 * Its {@code r} reads take only a shared copy: that costs this core nothing before a read of
 * its own, but a write after it needs the line exclusive again, so a read of theirs counts
 * with the chance {@code w' / (a - 1)} that the access it precedes is a write. At most each
 * later access misses once ({@code a - 1}). What matters is the span the accesses actually
 * cover, not the request: a shared object's header read, count update and field read a few
 * dozen accesses apart rarely lose the line in between, while a line touched at the start and
 * the end of the request, and written by every core, loses it on every later access. The
 * estimate assumes the other cores run the same mix at the same rate, and is added to the
 * line's transfers, so a shared line's races also bound throughput.
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
    /** Accesses so far in the current turn: the index races measure spans in ({@code A} at its end). */
    private long turnAccesses;
    /** Line to (int) its place in the arrived lists and (long) the turn it arrived in. */
    private final AddressTable arrivals = new AddressTable();
    /** The lines that arrived in the current turn, and per line: its accesses, writes, later writes, first and last access index. */
    private long[] arrived = new long[64];
    private int[] arrivedAccesses = new int[64];
    private int[] arrivedWrites = new int[64];
    private int[] arrivedLaterWrites = new int[64];
    private long[] firstAccess = new long[64];
    private long[] lastAccess = new long[64];
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
            double races = races(arrivedAccesses[i], arrivedWrites[i], arrivedLaterWrites[i],
                    lastAccess[i] - firstAccess[i], turnAccesses, cores);
            if (races <= 0) continue;
            double total = raceRemainder[core] + races;
            long whole = (long) total;
            raceRemainder[core] = total - whole;
            counts.add(core, Event.LINE_RACE, whole);
            int t = transfersPerLine.slot(arrived[i]);
            transfersPerLine.setLong(t, transfersPerLine.longAt(t) + whole);
        }
        arrivedCount = 0;
        turnAccesses = 0;
        turn++;
    }

    /**
     * The races of a line that arrived in a turn (the class comment's formula).
     *
     * @param a          the turn's accesses to the line, the arriving one included
     * @param w          its writes among them
     * @param laterWrites its writes among the {@code a - 1} accesses after the arriving one
     * @param span       accesses from the arriving one to the last one ({@code S})
     * @param total      the turn's accesses ({@code A})
     * @param n          the run's logical cores ({@code N})
     */
    static double races(long a, long w, long laterWrites, long span, long total, int n) {
        if (a < 2 || n < 2 || total <= 0) return 0;
        double othersTaking = w + (double) (a - w) * laterWrites / (a - 1);
        return Math.min(a - 1, (n - 1) * othersTaking * span / total);
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
        turnAccesses++;
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

    /** Notes an access to {@code line} in this turn after it arrived (the arrival itself is {@link #arrived}). */
    private void revisit(long line, boolean write) {
        int s = arrivals.find(line);
        if (s < 0 || arrivals.longAt(s) != turn) return;
        int i = arrivals.intAt(s);
        arrivedAccesses[i]++;
        if (write) {
            arrivedWrites[i]++;
            arrivedLaterWrites[i]++;
        }
        lastAccess[i] = turnAccesses;
    }

    /** {@code line} came from another core in this turn. */
    private void arrived(long line, boolean write) {
        int s = arrivals.slot(line);
        if (arrivals.longAt(s) == turn) {
            // came back in the same turn (only main's accesses on another Java thread do that): one more access
            revisit(line, write);
            return;
        }
        if (arrivedCount == arrived.length) growArrived();
        int i = arrivedCount++;
        arrivals.setInt(s, i);
        arrivals.setLong(s, turn);
        arrived[i] = line;
        arrivedAccesses[i] = 1;
        arrivedWrites[i] = write ? 1 : 0;
        arrivedLaterWrites[i] = 0;
        firstAccess[i] = turnAccesses;
        lastAccess[i] = turnAccesses;
    }

    private void growArrived() {
        int n = arrived.length * 2;
        arrived = java.util.Arrays.copyOf(arrived, n);
        arrivedAccesses = java.util.Arrays.copyOf(arrivedAccesses, n);
        arrivedWrites = java.util.Arrays.copyOf(arrivedWrites, n);
        arrivedLaterWrites = java.util.Arrays.copyOf(arrivedLaterWrites, n);
        firstAccess = java.util.Arrays.copyOf(firstAccess, n);
        lastAccess = java.util.Arrays.copyOf(lastAccess, n);
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
