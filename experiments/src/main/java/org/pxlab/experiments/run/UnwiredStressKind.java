package org.pxlab.experiments.run;

import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;

/**
 * The stress kind until the jcstress runner is wired into {@code pxlab run}: every stress
 * measurement fails with a cause that says so, and the rest of the suite runs on. Replace it
 * in {@link SuiteRunner#kinds()} with the kind that runs the stress jar and writes stress.csv.
 */
final class UnwiredStressKind implements MeasurementKind {
    /** The cause recorded for every stress measurement of this build. */
    static final String CAUSE = "stress runs are not wired in this build";

    @Override
    public Kind kind() {
        return Kind.STRESS;
    }

    @Override
    public double estimatedSeconds(Measurement m) {
        return 0;
    }

    @Override
    public Outcome run(Measurement m, MeasurementContext context) {
        throw new UnsupportedOperationException(CAUSE);
    }
}
