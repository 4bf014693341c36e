package org.pxlab.experiments.report;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A throughput as a mean with a standard error and the degrees of freedom of that error.
 *
 * <p>With two or more forks in {@code jmh/ID.json} the forks' means are the observations
 * (basis {@value #FORKS}): forks are independent JVMs, the iterations of one fork are not. Else
 * the standard error is recovered from JMH's own error (basis {@value #JMH_ERROR}): JMH reports
 * {@code t(0.9995, n-1) * s / sqrt(n)} over the {@code n} iterations, so dividing by that
 * quantile gives {@code s / sqrt(n)}; when {@code n} is unknown (no JMH file) the normal
 * quantile 3.29 stands in for it.
 *
 * @param mean              the throughput
 * @param standardError     its standard error (NaN when the results give no error)
 * @param degreesOfFreedom  of the standard error; infinite when taken as normal
 * @param basis             {@value #FORKS} or {@value #JMH_ERROR}
 */
record Sample(double mean, double standardError, double degreesOfFreedom, String basis) {
    static final String FORKS = "forks";
    static final String JMH_ERROR = "JMH error";
    /** The confidence of JMH's {@code scoreError}. */
    static final double JMH_CONFIDENCE = 0.999;

    static Sample of(Throughput t) {
        if (t.forks() != null && t.forks().forks().size() >= 2) {
            double[] means = t.forks().forkMeans();
            double mean = Arrays.stream(means).average().orElseThrow();
            return new Sample(mean, standardDeviation(means) / Math.sqrt(means.length), means.length - 1, FORKS);
        }
        int n = t.forks() == null ? 0 : t.forks().iterations().length;
        double quantile = n >= 2 ? new TDistribution(null, n - 1).inverseCumulativeProbability(twoSided(JMH_CONFIDENCE))
                : new NormalDistribution(null, 0, 1).inverseCumulativeProbability(twoSided(JMH_CONFIDENCE));
        return new Sample(t.score(), t.error() / quantile, n >= 2 ? n - 1 : Double.POSITIVE_INFINITY, JMH_ERROR);
    }

    /** The upper quantile's probability of a two-sided interval of this confidence. */
    static double twoSided(double confidence) {
        return 1 - (1 - confidence) / 2;
    }

    /** The sample standard deviation (n - 1 in the denominator). */
    static double standardDeviation(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }
}
