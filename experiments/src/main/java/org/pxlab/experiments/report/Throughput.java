package org.pxlab.experiments.report;

/**
 * One throughput measurement: JMH's score and 99.9% half-width from {@code results.csv}, and
 * its forks' iterations from {@code jmh/ID.json} when that file is there (else null).
 */
record Throughput(Point point, String id, double score, double error, ForkScores forks) {
    /** The measurement as a mean with a standard error; see {@link Sample#of(Throughput)}. */
    Sample sample() {
        return Sample.of(this);
    }
}
