package org.pxlab.experiments.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.pxlab.experiments.workload.FibWorkload;
import org.pxlab.runtime.config.ComponentRegistry;

/**
 * The projection model against many-thread figures it was not calibrated on (issue 12, item 5;
 * {@code docs/projection.md}, "Out-of-sample checks"). Each {@link Figure} is a published
 * measurement of a published program: pxlab serves the same program (a workload), counts it at
 * the published thread count, prices the counts for a many-core machine and computes the
 * quantity the publication reports, as a ratio of per-thread times.
 *
 * <p><b>Prices.</b> This machine's calibration, with its line-transfer and contended-CAS prices
 * (two hardware threads of one core here, about 6 ns) replaced by the published hardware
 * figure for an atomic on a line another core writes: 115-130 cycles on x86-64 (F. Giesen's
 * atomic_ops_test), the midpoint {@value #TRANSFER_CYCLES} cycles at an assumed
 * {@value #ASSUMED_GHZ} GHz, the all-core clock of the server parts the figures were measured
 * on (the one named, nogil's 20-core Xeon; gh-123619's 32-core machine and gh-134761's are
 * not named). A hardware price, not fitted to these checks: nothing here is tuned toward the
 * published answers.
 *
 * <p><b>Per-thread time.</b> The model predicts throughput {@code X(N)} of N cores serving
 * requests; each core then spends {@code N / X(N)} per request. A ratio of two such times is
 * what the publications report: a thread's time on N threads over its time alone, or on a
 * shared lock over a private one.
 */
public final class OutOfSampleCheck {
    /** Cycles an atomic add pays when another core writes the same line: 115-130 on x86-64 (F. Giesen's atomic_ops_test), the midpoint. */
    public static final double TRANSFER_CYCLES = 122.5;
    /** The clock assumed for the published machines, GHz. */
    public static final double ASSUMED_GHZ = 3.0;
    /** A ratio within this fraction of 1 is "flat" (no slowdown worth the name), e.g. 1.52 s against 1.50 s. */
    static final double FLAT_BAND = 0.10;

    private OutOfSampleCheck() {}

    /** Where a ratio of per-thread times points. */
    public enum Direction {
        FLAT, SLOWER, FASTER;

        static Direction of(double ratio) {
            if (ratio > 1 + FLAT_BAND) return SLOWER;
            if (ratio < 1 / (1 + FLAT_BAND)) return FASTER;
            return FLAT;
        }
    }

    /**
     * One side of a published ratio: a workload with options, at a core count.
     *
     * @param options the workload's options ({@code KEY=VALUE})
     */
    public record Case(String workload, Map<String, String> options, int cores) {
        public String label() {
            StringBuilder b = new StringBuilder(workload);
            options.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            return b.append(" @").append(cores).toString();
        }
    }

    /**
     * A published figure: the per-thread time of {@code measured} over that of {@code baseline},
     * each published as a time per {@code unit} (a call, an iteration).
     *
     * @param name                short name (the issue or project)
     * @param configuration       the pxlab configuration closest to the build measured
     * @param why                 the build measured and why this configuration
     * @param unit                what the published times are per
     * @param unitsPerRequest     how many units one request of the workload does
     * @param publishedMeasuredNs the published time per unit per thread of the measured case
     * @param publishedBaselineNs the same of the baseline
     * @param source              where the figure and its times are published
     */
    public record Figure(String name, String configuration, String why, Case measured, Case baseline, String unit,
                         double unitsPerRequest, double publishedMeasuredNs, double publishedBaselineNs, String source) {
        /** The published ratio of per-thread times. */
        public double published() {
            return publishedMeasuredNs / publishedBaselineNs;
        }
    }

    /**
     * A check's outcome.
     *
     * @param measuredNs the model's time per unit per thread of the measured case (model output)
     * @param baselineNs the same of the baseline
     * @param limit      what limited the measured case's predicted throughput
     */
    public record Result(Figure figure, double measuredNs, double baselineNs, String limit) {
        /** The model's ratio of per-thread times. */
        public double predicted() {
            return measuredNs / baselineNs;
        }

        /** Predicted over published. */
        public double ratio() {
            return predicted() / figure.published();
        }

        /** Whether the predicted ratio points the way the published one does (slower, flat, faster). */
        public boolean directionRight() {
            return Direction.of(predicted()) == Direction.of(figure.published());
        }

        /** Whether the predicted ratio is within a factor of 2 of the published one. */
        public boolean withinFactorOfTwo() {
            return ratio() >= 0.5 && ratio() <= 2;
        }

        /** {@code ok}, or what failed. */
        public String verdict() {
            if (directionRight() && withinFactorOfTwo()) return "ok";
            if (!directionRight()) return "FAIL: direction (" + Direction.of(predicted()).name().toLowerCase() + " against "
                    + Direction.of(figure.published()).name().toLowerCase() + ")";
            return String.format("FAIL: %.2fx off", ratio() >= 1 ? ratio() : 1 / ratio());
        }
    }

    /** The three published many-thread figures of free-threaded CPython that name a program and a thread count. */
    public static List<Figure> figures() {
        int n = 12;
        double fibCalls = 2 * FibWorkload.answer(34) - 1;   // fib(34)'s calls, the README's task
        return List.of(
                new Figure("nogil fib", "free-threaded",
                        "nogil (PEP 703's prototype on 3.9): deferred counts for functions and code, as 3.14t",
                        new Case("fib", Map.of("n", Integer.toString(n)), 20), new Case("fib", Map.of("n", Integer.toString(n)), 1),
                        "fib call", 2 * FibWorkload.answer(n) - 1, 1.52e9 / fibCalls, 1.50e9 / fibCalls,
                        "colesbury/nogil README: fib(34) per thread, 20 threads 1.52 s, 1 thread 1.50 s (20-core Xeon)"),
                new Figure("gh-123619", "free-threaded-3.13",
                        "3.13.0rc1 free-threaded build",
                        new Case("shared-method", Map.of(), 32), new Case("shared-method", Map.of(), 1),
                        "call", 1, mean(3_148_864_844d, 3_214_454_065d, 3_354_286_011d) / 500_000, 43_692_595d / 500_000,
                        "python/cpython#123619: 500,000 calls, unthreaded 43,692,595 ns, 32 threads 3,148,864,844 / 3,214,454,065 / "
                                + "3,354,286,011 ns (the three shown) on 32 cores"),
                new Figure("gh-134761", "free-threaded",
                        "a 3.15t release build (main, May 2025); pxlab's nearest is 3.14t",
                        new Case("lock-locked", Map.of("lock", "shared"), 8), new Case("lock-locked", Map.of("lock", "private"), 8),
                        "locked() call", 1,
                        mean(3.425866439999936, 3.5953266010001244, 3.6094701500001065, 3.667731437000157, 4.458146230000011,
                                4.466017671000145, 4.499206339000011, 4.50090869099995) * 1e9 / 10_000_000,
                        mean(0.38904138099997, 0.39082639699995525, 0.4013638610001635, 0.40917961700006344,
                                0.526825904000134, 0.5402126970000154, 0.540466712999887, 0.5586060919999909) * 1e9 / 10_000_000,
                        "python/cpython#134761: 10,000,000 lock.locked() per thread, 8 threads, shared lock 3.43-4.50 s, "
                                + "private locks 0.39-0.56 s"));
    }

    private static double mean(double... v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** The calibration's prices with line transfers and contended atomics at the published many-core price. */
    public static Calibration manyCorePrices(Calibration measured) {
        double ns = TRANSFER_CYCLES / ASSUMED_GHZ;
        return measured.withTransferPrices(ns, ns, String.format(
                "published hardware cost (F. Giesen, atomic_ops_test), %.1f cycles (115-130 with another core writing the line) at an assumed %.1f GHz = %.1f ns",
                TRANSFER_CYCLES, ASSUMED_GHZ, ns));
    }

    /** Nanoseconds one core spends per request when {@code cores} cores serve: {@code N / X(N)}. */
    static double perThreadNanos(CostModel model, EventCounts counts, int cores, boolean serialised) {
        return cores * 1e9 / model.predict(counts, cores, serialised).requestsPerSecond();
    }

    /** One figure's check from the counts of its two cases (each counted at its case's cores). */
    public static Result evaluate(Figure f, CostModel model, EventCounts measured, EventCounts baseline, boolean serialised) {
        return new Result(f, perThreadNanos(model, measured, f.measured().cores(), serialised) / f.unitsPerRequest(),
                perThreadNanos(model, baseline, f.baseline().cores(), serialised) / f.unitsPerRequest(),
                model.predict(measured, f.measured().cores(), serialised).limit());
    }

    /**
     * Counts every figure's cases (one counting JVM per workload and options, with
     * {@code requests} warm-up and as many counted) and checks them at many-core prices.
     */
    public static List<Result> run(ComponentRegistry registry, Calibration measured, long requests) {
        CostModel model = new CostModel(manyCorePrices(measured));
        Map<String, SortedSet<Integer>> cores = new LinkedHashMap<>();
        for (Figure f : figures()) {
            for (Case c : List.of(f.measured(), f.baseline())) {
                cores.computeIfAbsent(key(f.configuration(), c), k -> new TreeSet<>()).add(c.cores());
            }
        }
        Map<String, Map<Integer, EventCounts>> counted = new LinkedHashMap<>();
        for (Figure f : figures()) {
            for (Case c : List.of(f.measured(), f.baseline())) {
                String key = key(f.configuration(), c);
                if (!counted.containsKey(key)) {
                    counted.put(key, CountingProcess.count(f.configuration(), c.workload(), c.options(), requests, requests, cores.get(key)));
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (Figure f : figures()) {
            boolean serialised = registry.assemble(f.configuration()).sync().serializesMutators();
            results.add(evaluate(f, model, counted.get(key(f.configuration(), f.measured())).get(f.measured().cores()),
                    counted.get(key(f.configuration(), f.baseline())).get(f.baseline().cores()), serialised));
        }
        return results;
    }

    private static String key(String configuration, Case c) {
        return configuration + " " + c.workload() + " " + c.options();
    }

    /** The label of a case under its figure's configuration, for tables. */
    public static String label(Figure f, Case c) {
        return f.configuration() + " x " + c.label();
    }
}
