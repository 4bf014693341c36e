package org.pxlab.experiments.report;

import java.util.Comparator;

/**
 * What one measurement measured: a configuration running a workload (with its parameters,
 * {@code k=v;k=v} sorted by key, empty for the defaults) on a number of threads.
 */
record Point(String configuration, String workload, String params, int threads) {
    /** Workload, parameters, configuration, threads: the order every table lists points in. */
    static final Comparator<Point> ORDER = Comparator.comparing(Point::workload).thenComparing(Point::params)
            .thenComparing(Point::configuration).thenComparingInt(Point::threads);

    /** The workload with its parameters, as tables and charts title it. */
    String workloadLabel() {
        return label(workload, params);
    }

    /** This point on another configuration. */
    Point on(String otherConfiguration) {
        return new Point(otherConfiguration, workload, params, threads);
    }

    /** This point at another thread count. */
    Point at(int otherThreads) {
        return new Point(configuration, workload, params, otherThreads);
    }

    /** {@code workload} or {@code workload (params)}. */
    static String label(String workload, String params) {
        return params.isEmpty() ? workload : workload + " (" + params + ")";
    }
}
