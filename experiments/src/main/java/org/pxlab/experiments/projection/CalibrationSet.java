package org.pxlab.experiments.projection;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pxlab.runtime.config.ComponentRegistry;

/**
 * How a calibration is made on the machine at hand, and on what: the primitives are measured
 * ({@link Calibrator#measure}), then the two prices no primitive gives are fitted on a fixed,
 * stated set of native runs, counted and measured here:
 *
 * <ul>
 * <li>{@code l} on {@value #LOCK_WORKLOAD} at one worker of {@code fine-grained} and
 *     {@code free-threaded} (the workload with the most critical sections per request), each
 *     with {@code W} from {@value #REFERENCE} on the same workload;</li>
 * <li>{@code x} on {@code fine-grained} x {@value #TRANSFER_WORKLOAD} at two workers, with
 *     {@code W} from {@value #REFERENCE} x {@value #TRANSFER_WORKLOAD} at one.</li>
 * </ul>
 *
 * Every other pair, and these at the other core count, is out of sample. Two workers on a
 * loaded machine do not get two cores: calibrate on a quiet one, or edit the file.
 *
 * @param projection the counting and measuring settings (requests counted, measurement time)
 */
public record CalibrationSet(Projection projection, ComponentRegistry registry) {
    /** The configuration each workload's interpreter work {@code W} is measured on: it counts no locks and, at one core, moves no line. */
    public static final String REFERENCE = "gil";
    static final String LOCK_WORKLOAD = "wiki-search", TRANSFER_WORKLOAD = "json";
    static final List<String> LOCK_CONFIGURATIONS = List.of("fine-grained", "free-threaded");
    static final String TRANSFER_CONFIGURATION = "fine-grained";

    /** Measures, counts and fits; {@code log} hears what is being run. */
    public Calibration calibrate(PrintWriter log) {
        Calibration prices = new Calibrator(300_000_000L).measure();
        log.printf("measured: %s%n", prices);
        log.flush();
        List<Calibrator.Sample> locks = new java.util.ArrayList<>();
        double wLock = workNanos(new CostModel(prices), LOCK_WORKLOAD, Map.of());
        for (String c : LOCK_CONFIGURATIONS) locks.add(sample(c, LOCK_WORKLOAD, 1, wLock, log));
        prices = Calibrator.fitLock(prices, locks);
        double wTransfer = workNanos(new CostModel(prices), TRANSFER_WORKLOAD, Map.of());
        return Calibrator.fitTransfer(prices, List.of(sample(TRANSFER_CONFIGURATION, TRANSFER_WORKLOAD, 2, wTransfer, log)));
    }

    /**
     * The workload's interpreter work {@code W} on this machine: {@value #REFERENCE} x the
     * workload counted at one logical core and measured on one worker ({@link CostModel#workNanos}).
     */
    public double workNanos(CostModel model, String workload, Map<String, String> options) {
        return workNanos(model, workload, options, Double.NaN);
    }

    /**
     * The same, with the reference's one-worker throughput already measured elsewhere (a suite's
     * JMH row), or NaN to measure it here.
     */
    public double workNanos(CostModel model, String workload, Map<String, String> options, double referenceRps) {
        EventCounts one = projection.count(REFERENCE, workload, options, new TreeSet<>(List.of(1))).get(1);
        double rps = Double.isNaN(referenceRps) ? projection.measure(registry, REFERENCE, workload, options, 1)[0] : referenceRps;
        return model.workNanos(one, rps);
    }

    private Calibrator.Sample sample(String configuration, String workload, int cores, double workNanos, PrintWriter log) {
        log.printf("calibration run: %s x %s at %d core(s)%n", configuration, workload, cores);
        log.flush();
        EventCounts counts = projection.count(configuration, workload, Map.of(), new TreeSet<>(List.of(cores))).get(cores);
        double rps = projection.measure(registry, configuration, workload, Map.of(), cores)[cores - 1];
        return new Calibrator.Sample(configuration + " x " + workload, counts, cores, rps, workNanos);
    }
}
