package org.pxlab.experiments.suite;

import java.util.List;

/**
 * A suite flattened into its measurements, in the order they run: throughput first (latency at
 * a fraction of throughput needs it), then latency, footprint, stress and projection (its
 * measured figures come from the throughput rows).
 *
 * @param name         the suite's name
 * @param source       the file it was read from, or the built-in suite's name
 * @param measurements every measurement, ids unique
 */
public record Suite(String name, String source, List<Measurement> measurements) {
    public Suite {
        measurements = List.copyOf(measurements);
    }
}
