package org.pxlab.experiments.run;

/**
 * One row of projection.csv for the projection measurement that produced it: the model's
 * prediction at one core count and, where measured, the measured figure beside it.
 *
 * @param cores          the core count
 * @param predicted      predicted requests per second (model output)
 * @param scaling        predicted / predicted at 1 core; NaN when 1 core is not projected
 * @param limit          what limits the prediction ({@code one core}, {@code parallel work}, {@code GIL}, ...)
 * @param measured       measured requests per second, NaN where nothing was measured
 * @param measuredError  the measured figure's error (JMH's 99.9% half-width), NaN where none
 * @param measuredSource {@value #JMH} (the results folder's throughput row) or {@value #NATIVE} (a closed-loop
 *                       measurement by the projection itself); empty where nothing was measured
 * @param errorPercent   100 (predicted - measured) / measured, NaN where nothing was measured
 */
public record ProjectionRow(int cores, double predicted, double scaling, String limit, double measured, double measuredError,
                            String measuredSource, double errorPercent) {
    /** The source of a measured figure taken from the folder's JMH throughput row. */
    public static final String JMH = "jmh";
    /** The source of a measured figure the projection measured itself, closed loop. */
    public static final String NATIVE = "native";
}
