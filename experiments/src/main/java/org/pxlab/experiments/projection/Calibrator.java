package org.pxlab.experiments.projection;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;

/**
 * Measures the cost model's prices on the machine at hand, through {@link Memory} as the
 * runtime reaches memory, and fits the one price no microbenchmark gives: the cost of a
 * simulated access together with the interpreter work around it.
 *
 * <p>The primitives are those {@code PrimitivesBench} and {@code RefCountBench} measure with
 * JMH (a plain access, an uncontended atomic add, a lock word's CAS and release), plus two
 * that needs two threads: an atomic add on a line another thread adds to at the same time
 * (contended CAS), whose time per add is also the price of a line transfer (each add must
 * fetch the line from the other core). A ping-pong on one line would measure the transfer
 * alone, but on a loaded two-core machine its hand-offs wait on the scheduler (a first try
 * measured milliseconds); a calibration file can be edited to use published figures. Each
 * primitive is timed in a loop after a warm-up, three times, and the fastest kept, which on a
 * loaded machine is the least disturbed. Must run in a JVM
 * without {@code -Dpxlab.projection} (the observer's call would be timed too).
 */
public final class Calibrator {
    private static final long WARM_UP = 2_000_000, LOOP = 20_000_000;
    private final long twoThreadNanos;

    /** @param twoThreadNanos how long each two-thread measurement runs */
    public Calibrator(long twoThreadNanos) {
        this.twoThreadNanos = twoThreadNanos;
    }

    /** Measures every price but the access, which {@link #fitAccess} sets. */
    public Calibration measure() {
        if (Memory.OBSERVED) throw new IllegalStateException("calibrate in a JVM without -Dpxlab.projection: the observer would be timed");
        long chunk = SystemMalloc.calloc(4096);
        try {
            long p = (chunk + 63) & ~63L;
            double access = best(() -> timePlain(p, LOOP)) / 2;
            double atomic = best(() -> timeAtomic(p, LOOP));
            double lock = best(() -> timeLock(p + 64, LOOP));
            double contended = best(() -> timeContended(p + 128));
            // Each add of two threads hammering one word needs the line back from the other core,
            // so the contended add's time is the line transfer's; at least an uncontended add's.
            double transfer = Math.max(contended, atomic);
            return new Calibration(access, Math.max(0, atomic - access), transfer, contended, lock, "(not fitted)", environment());
        } finally {
            SystemMalloc.free(chunk);
        }
    }

    /**
     * Sets the access price so that the model reproduces a measured single-core throughput:
     * solves {@code 1e9 / rps = t_m + t_g} for {@code a}.
     *
     * @param oneCore counts of the reference at one logical core
     * @param rps     its measured throughput on one worker
     */
    public static Calibration fitAccess(Calibration c, EventCounts oneCore, double rps, String reference) {
        double accesses = oneCore.perRequest(Event.LOAD) + oneCore.perRequest(Event.STORE) + oneCore.perRequest(Event.ATOMIC)
                + oneCore.perRequest(Event.GC_ACCESS);
        double fixed = c.atomicNs() * oneCore.perRequest(Event.ATOMIC)
                + c.lineTransferNs() * (oneCore.perRequest(Event.LINE_READ_TRANSFER) + oneCore.perRequest(Event.LINE_WRITE_TRANSFER));
        if (accesses <= 0 || rps <= 0) throw new IllegalArgumentException("the reference served nothing to fit on");
        double a = (1e9 / rps - fixed) / accesses;
        return c.withAccess(Math.max(a, c.accessNs()), reference);
    }

    @FunctionalInterface
    private interface Timing {
        double nanosPerOp();
    }

    private static double best(Timing t) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) best = Math.min(best, t.nanosPerOp());
        return best;
    }

    private static double timePlain(long p, long n) {
        for (long i = 0; i < WARM_UP; i++) Memory.putLong(p, Memory.getLong(p) + 1);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) Memory.putLong(p, Memory.getLong(p) + 1);
        return (double) (System.nanoTime() - t0) / n;
    }

    private static double timeAtomic(long p, long n) {
        for (long i = 0; i < WARM_UP; i++) Memory.getAndAddLong(p, 1);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) Memory.getAndAddLong(p, 1);
        return (double) (System.nanoTime() - t0) / n;
    }

    private static double timeLock(long p, long n) {
        for (long i = 0; i < WARM_UP; i++) lockOnce(p);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) lockOnce(p);
        return (double) (System.nanoTime() - t0) / n;
    }

    private static void lockOnce(long p) {
        if (!Memory.compareAndSetLong(p, 0, 1)) throw new IllegalStateException("calibration lock word not free");
        Memory.putLongRelease(p, 0);
    }

    /** Two threads add to one word for the time given; nanoseconds per add per thread. */
    private double timeContended(long p) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ops = new AtomicLong();
        Runnable adder = () -> {
            long n = 0;
            while (!stop.get()) {
                for (int i = 0; i < 1000; i++) Memory.getAndAddLong(p, 1);
                n += 1000;
            }
            ops.addAndGet(n);
        };
        return twoThreads(adder, adder, stop, () -> ops.get() / 2.0);
    }

    private double twoThreads(Runnable a, Runnable b, AtomicBoolean stop, java.util.function.DoubleSupplier count) {
        Thread ta = new Thread(a, "pxlab-calibrate-a"), tb = new Thread(b, "pxlab-calibrate-b");
        long t0 = System.nanoTime();
        ta.start();
        tb.start();
        try {
            Thread.sleep(twoThreadNanos / 1_000_000, (int) (twoThreadNanos % 1_000_000));
            stop.set(true);
            ta.join();
            tb.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calibrating", e);
        }
        long elapsed = System.nanoTime() - t0;
        return elapsed / Math.max(1, count.getAsDouble());
    }

    /** JDK, CPU model, cores, load and date, in one line. */
    public static String environment() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the model name stays unknown
        }
        return String.format("JDK %s (%s); %s; %d cores; load average %.1f; %s", System.getProperty("java.version"),
                System.getProperty("java.vendor"), cpu, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Instant.now());
    }
}
