package org.pxlab.experiments.run;

/**
 * One row of results.csv for the measurement that produced it (which supplies the id,
 * kind, configuration, workload, params and threads columns).
 *
 * @param metric {@code throughput}, {@code latency_p99}, {@code in_use_bytes}, ...
 * @param value  the figure
 * @param error  its error (JMH's 99.9% half-width), or NaN when not applicable
 * @param unit   {@code requests/s}, {@code us}, {@code bytes}, {@code requests}
 */
public record ResultRow(String metric, double value, double error, String unit) {
    /** A row without an error. */
    public static ResultRow of(String metric, double value, String unit) {
        return new ResultRow(metric, value, Double.NaN, unit);
    }
}
