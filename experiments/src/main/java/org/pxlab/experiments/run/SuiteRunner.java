package org.pxlab.experiments.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;

/**
 * Runs the measurements of a results folder that have no progress line yet, in suite order,
 * each through its kind's {@link MeasurementKind}, recording each as soon as it ends. A
 * failure is recorded with its cause and the run goes on.
 */
public final class SuiteRunner {
    private final Map<Kind, MeasurementKind> kinds = new EnumMap<>(Kind.class);
    private final ComponentRegistry registry;
    private final Workloads workloads;

    /** A runner with {@link #kinds()}. */
    public SuiteRunner(ComponentRegistry registry, Workloads workloads) {
        this(registry, workloads, kinds());
    }

    /** A runner with the given kinds, one per {@link Kind}. */
    public SuiteRunner(ComponentRegistry registry, Workloads workloads, List<MeasurementKind> kinds) {
        this.registry = registry;
        this.workloads = workloads;
        for (MeasurementKind k : kinds) this.kinds.put(k.kind(), k);
        for (Kind k : Kind.values()) {
            if (!this.kinds.containsKey(k)) throw new IllegalArgumentException("no measurement kind runs " + k.label());
        }
    }

    /** The kinds: throughput, latency, footprint, stress and projection (with the default calibration file). */
    public static List<MeasurementKind> kinds() {
        return kinds(new ProjectionKind());
    }

    /** The kinds, with this projection kind. */
    public static List<MeasurementKind> kinds(ProjectionKind projection) {
        return List.of(new ThroughputKind(), new LatencyKind(), new FootprintKind(), new StressKind(), projection);
    }

    /** The measurements of {@code folder} still to run that {@code only} accepts. */
    public static List<Measurement> pending(ResultsFolder folder, Predicate<String> only) {
        var finished = folder.finished();
        return folder.suite().measurements().stream().filter(m -> !finished.contains(m.id()) && only.test(m.id())).toList();
    }

    /**
     * Runs {@code todo} into {@code folder}.
     *
     * @param terminal whether {@code out} is a terminal (a redrawn progress bar) or not (plain lines)
     * @return how many of them failed
     */
    public int run(ResultsFolder folder, List<Measurement> todo, PrintWriter out, boolean terminal) throws IOException {
        double estimated = todo.stream().mapToDouble(m -> kinds.get(m.kind()).estimatedSeconds(m)).sum();
        MeasurementContext context = new MeasurementContext(folder.dir(), registry, workloads, folder);
        int failed = 0;
        try (ProgressDisplay progress = new ProgressDisplay(out, terminal, todo.size(), estimated)) {
            for (Measurement m : todo) {
                MeasurementKind kind = kinds.get(m.kind());
                double estimate = kind.estimatedSeconds(m);
                progress.started(m.id(), estimate);
                long start = System.nanoTime();
                Outcome outcome = null;
                String cause = null;
                try {
                    outcome = kind.run(m, context);
                } catch (Exception | LinkageError | AssertionError | VirtualMachineError e) {
                    // One measurement's failure, even a stack overflow or an exhausted heap, is its own.
                    cause = cause(e);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                folder.record(m, outcome, cause, seconds);
                if (cause != null) failed++;
                progress.finished(m.id(), estimate, seconds, cause);
            }
        }
        return failed;
    }

    /** One line: the exception's class and message, and its root cause's when different. */
    static String cause(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        if (e instanceof UnsupportedOperationException && e.getMessage() != null) text = e.getMessage();
        return text.replaceAll("\\s+", " ").strip();
    }
}
