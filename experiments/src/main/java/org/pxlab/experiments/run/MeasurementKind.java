package org.pxlab.experiments.run;

import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;

/**
 * How one kind of measurement runs. {@link SuiteRunner} calls {@link #run} once per
 * measurement of the kind and records what it returns, or the exception it throws as the
 * measurement's cause of failure; either way the run goes on with the next measurement.
 */
public interface MeasurementKind {
    /** The kind this runs. */
    Kind kind();

    /** Roughly how long {@code m} takes, in seconds, for the progress display's ETA. */
    double estimatedSeconds(Measurement m);

    /**
     * Runs one measurement. Files of its own (jmh/ID.json, latency/ID.hlog) go under
     * {@link MeasurementContext#folder()}; rows for results.csv and footprint.csv are returned,
     * and written by the caller once this returns.
     *
     * @throws Exception any failure: it becomes the measurement's recorded cause
     */
    Outcome run(Measurement m, MeasurementContext context) throws Exception;
}
