package org.pxlab.experiments.suite;

import java.util.Locale;

/** What a measurement measures; its {@link #label()} is the {@code kind} of suite.json and results.csv. */
public enum Kind {
    /** Requests per second through JMH's {@code WorkloadBench}, with forks. */
    THROUGHPUT,
    /** Open-loop latency percentiles at a request rate. */
    LATENCY,
    /** Simulated bytes held per space after serving. */
    FOOTPRINT,
    /** The jcstress safety tests of one configuration. */
    STRESS,
    /** Predicted throughput on N cores from counts and the cost model (model output), beside measured figures at 1 and 2. */
    PROJECTION;

    /** The name in files: {@code throughput}, {@code latency}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind labelled {@code label}, or null. */
    public static Kind of(String label) {
        for (Kind k : values()) if (k.label().equals(label)) return k;
        return null;
    }
}
