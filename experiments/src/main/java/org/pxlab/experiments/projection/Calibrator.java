package org.pxlab.experiments.projection;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;

/**
 * Measures the cost model's primitive prices on the machine at hand, through {@link Memory}
 * as the runtime reaches memory, and fits the two prices no primitive gives
 * ({@link #fitLock}, {@link #fitTransfer}; {@link CalibrationSet} says on what).
 *
 * <p>Measured: a plain access and an uncontended atomic add (as {@code PrimitivesBench}
 * measures them with JMH), an uncontended critical section through {@code per-object-locks}
 * ({@link CriticalSectionTiming}, as {@code LockBench}), and two that need two threads: an
 * atomic add on a word another thread adds to at the same time (contended CAS) and a ping-pong
 * (one word handed back and forth, each hand-off a line transfer). The one-thread primitives
 * are the fastest of many short batches ({@link #fastestBatch}), which holds on a loaded
 * machine; the two-thread ones the fastest of three runs (the ping-pong's fastest batch), and
 * on a loaded two-core machine they are not reliable: the fitted transfer price replaces the
 * ping-pong's. Must run in a JVM without {@code -Dpxlab.projection} (the observer's call would
 * be timed too).
 */
public final class Calibrator {
    /** Steps per timed batch, and batches per primitive: the fastest batch is kept. */
    static final int BATCH = 50_000, BATCHES = 300;
    private static final int PING_PONG_BATCH = 2_000;
    private final long twoThreadNanos;

    /** @param twoThreadNanos how long each two-thread measurement runs */
    public Calibrator(long twoThreadNanos) {
        this.twoThreadNanos = twoThreadNanos;
    }

    /** Measures every price: {@code a}, {@code b}, {@code x}, {@code c} and {@code l}. */
    public Calibration measure() {
        if (Memory.OBSERVED) throw new IllegalStateException("calibrate in a JVM without -Dpxlab.projection: the observer would be timed");
        long chunk = SystemMalloc.calloc(8192);
        try {
            long p = (chunk + 63) & ~63L;
            double access = fastestBatch(n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) sum += plainStep(p, i);
                return sum;
            }) / 2;
            double atomic = fastestBatch(n -> {
                long sum = 0;
                for (int i = 0; i < n; i++) sum += Memory.getAndAddLong(p, 1);
                return sum;
            });
            double section = CriticalSectionTiming.nanosPerSection();
            double contended = best(() -> timeContended(p + 4096));
            double pingPong = best(() -> timePingPong(p + 4096 + 128));
            // A hand-off moves the line once; if no batch completed, the contended add (each add of
            // two threads hammering one word needs the line back) is the fallback, at least an
            // uncontended add.
            double transfer = pingPong > 0 ? pingPong : Math.max(contended, atomic);
            // The section's two atomics on the lock word are priced as atomics where they are counted.
            double lock = Math.max(0, section - 2 * atomic);
            return new Calibration(access, Math.max(0, atomic - access), transfer, contended, lock, MEASURED, environment());
        } finally {
            SystemMalloc.free(chunk);
        }
    }

    /** The {@link Calibration#reference} of prices that were all measured. */
    public static final String MEASURED = "(measured)";

    /**
     * One measured run a price is fitted on: its counts at {@code cores} logical cores, its
     * measured throughput on as many workers, and its workload's interpreter work {@code W}.
     */
    public record Sample(String label, EventCounts counts, int cores, double rps, double workNanos) {
        /** Measured core nanoseconds per request: {@code cores 1e9 / rps}. */
        double coreNanos() {
            return cores * 1e9 / rps;
        }
    }

    /**
     * Fits the lock price {@code l} on single-core samples: with every other price as given,
     * the {@code l} that minimises the squared relative error of the predicted request time,
     * {@code sum ((T_i - R_i - l k_i) / T_i)^2}, where {@code T_i} is the measured time,
     * {@code R_i} the rest of the model's time and {@code k_i} the critical sections per request.
     *
     * @throws IllegalArgumentException if no sample has a critical section, or one is not at one core
     */
    public static Calibration fitLock(Calibration c, List<Sample> samples) {
        CostModel without = new CostModel(c.withLock(0, "-"));
        double[] k = new double[samples.size()], r = new double[k.length], t = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            Sample s = samples.get(i);
            if (s.cores() != 1) throw new IllegalArgumentException("the lock price is fitted at one core; " + s.label() + " is at " + s.cores());
            k[i] = s.counts().perRequest(Event.LOCK_LOCAL) + s.counts().perRequest(Event.LOCK_REMOTE);
            t[i] = s.coreNanos();
            r[i] = t[i] - s.workNanos() - without.mutatorNanos(s.counts()) - without.collectorNanos(s.counts());
        }
        return c.withLock(relativeLeastSquares(k, r, t, "critical sections"), "lock on " + labels(samples) + " at 1 core");
    }

    /**
     * Fits the line-transfer price {@code x} on samples at two or more cores of configurations
     * that run in parallel: the {@code x} that minimises {@code sum ((T_i - R_i - x f_i) / T_i)^2},
     * {@code T_i} the measured core time per request, {@code f_i} the transfers and races per request.
     *
     * @throws IllegalArgumentException if no sample has a transfer, or one is at one core
     */
    public static Calibration fitTransfer(Calibration c, List<Sample> samples) {
        CostModel without = new CostModel(c.withLineTransfer(0, "-"));
        double[] f = new double[samples.size()], r = new double[f.length], t = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            Sample s = samples.get(i);
            if (s.cores() < 2) throw new IllegalArgumentException("the transfer price is fitted at 2 or more cores; " + s.label() + " is at 1");
            EventCounts n = s.counts();
            f[i] = n.perRequest(Event.LINE_READ_TRANSFER) + n.perRequest(Event.LINE_WRITE_TRANSFER) + n.perRequest(Event.LINE_RACE);
            t[i] = s.coreNanos();
            r[i] = t[i] - s.workNanos() - without.mutatorNanos(n) - without.collectorNanos(n);
        }
        return c.withLineTransfer(relativeLeastSquares(f, r, t, "line transfers"),
                "line transfer on " + labels(samples) + " at " + samples.get(0).cores() + " cores");
    }

    /** The {@code p >= 0} minimising {@code sum ((r_i - p f_i) / t_i)^2}. */
    static double relativeLeastSquares(double[] f, double[] r, double[] t, String what) {
        double num = 0, den = 0;
        for (int i = 0; i < f.length; i++) {
            double w = 1 / (t[i] * t[i]);
            num += w * f[i] * r[i];
            den += w * f[i] * f[i];
        }
        if (den == 0) throw new IllegalArgumentException("no sample has " + what + " to fit their price on");
        return Math.max(0, num / den);
    }

    private static String labels(List<Sample> samples) {
        return samples.stream().map(Sample::label).collect(java.util.stream.Collectors.joining(", "));
    }

    @FunctionalInterface
    private interface Timing {
        double nanosPerOp();
    }

    /** The fastest of three timings that gave one (a timing that could not measure gives 0); 0 if none did. */
    private static double best(Timing t) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double ns = t.nanosPerOp();
            if (ns > 0) best = Math.min(best, ns);
        }
        return best == Double.MAX_VALUE ? 0 : best;
    }

    /**
     * Nanoseconds per step of the fastest of {@link #BATCHES} batches of {@link #BATCH} steps
     * (after as many warm-up batches): on a loaded machine a batch during which the thread was
     * descheduled is slower, never faster, so the fastest is the least disturbed. A batch runs
     * its steps in a loop of its own (one call per batch, so the primitives' calls stay
     * monomorphic and inline) and returns their results summed, which is kept alive so that the
     * JIT cannot drop them.
     *
     * @param batch runs the given number of steps
     */
    static double fastestBatch(java.util.function.IntToLongFunction batch) {
        long sum = 0;
        double best = Double.MAX_VALUE;
        for (int b = 0; b < 2 * BATCHES; b++) {
            long t0 = System.nanoTime();
            sum += batch.applyAsLong(BATCH);
            long elapsed = System.nanoTime() - t0;
            if (b >= BATCHES) best = Math.min(best, (double) elapsed / BATCH);
        }
        if (sum == 42) System.out.print("");
        return best;
    }

    /**
     * A load and a store, at addresses that change every step within 4 KiB (in the L1 cache, as
     * most of an interpreter's accesses are), so that the JIT can neither keep the value in a
     * register nor vectorise the loop.
     */
    private static long plainStep(long p, long i) {
        long v = Memory.getLong(p + ((i * 7) & 511) * 8);
        Memory.putLong(p + ((i * 13) & 511) * 8, v + i);
        return v;
    }

    /**
     * Two threads hand one word back and forth (one waits for an even value and writes the next
     * odd one, the other the reverse), so every hand-off moves the line to the other core: the
     * time of a batch of hand-offs divided by their number is a line transfer. On a loaded machine
     * a batch in which one thread was descheduled takes milliseconds, so the fastest batch of
     * those run in the time given is kept; 0 if no batch completed (one thread never ran).
     */
    private double timePingPong(long p) {
        Memory.putLong(p, 0);
        AtomicBoolean stop = new AtomicBoolean();
        double[] best = {Double.MAX_VALUE};
        Runnable ping = () -> {
            long v = 0;
            while (!stop.get()) {
                long t0 = System.nanoTime();
                int i = 0;
                for (; i < PING_PONG_BATCH && !stop.get(); i++) {
                    while (Memory.getLongAcquire(p) != v && !stop.get()) Thread.onSpinWait();
                    v++;
                    Memory.putLongRelease(p, v);
                    v++;
                }
                if (i == PING_PONG_BATCH) best[0] = Math.min(best[0], (System.nanoTime() - t0) / (2.0 * PING_PONG_BATCH));
            }
        };
        Runnable pong = () -> {
            long v = 1;
            while (!stop.get()) {
                while (Memory.getLongAcquire(p) != v && !stop.get()) Thread.onSpinWait();
                Memory.putLongRelease(p, v + 1);
                v += 2;
            }
        };
        twoThreads(ping, pong, stop, () -> 1);
        return best[0] == Double.MAX_VALUE ? 0 : best[0];
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
