package org.pxlab.experiments.report;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The ratio of two throughputs (B / A) with a confidence interval.
 *
 * <p>Method: the delta method on the log of the ratio. With relative variances
 * {@code vA = (seA / meanA)^2} and {@code vB = (seB / meanB)^2},
 * {@code Var(log B/A) ~ vA + vB}; its degrees of freedom are Welch-Satterthwaite's,
 * {@code (vA + vB)^2 / (vA^2 / dfA + vB^2 / dfB)}; the interval is
 * {@code ratio * exp(+-t(df) * sqrt(vA + vB))}. Working on the log keeps the interval
 * positive and symmetric in the sense that swapping A and B inverts it. The standard errors
 * come from the forks or from JMH's error, as {@link Sample} says; {@link #basis} names which.
 *
 * @param ratio      B's mean over A's
 * @param low        the interval's lower end (NaN when either measurement has no error)
 * @param high       its upper end
 * @param confidence the interval's confidence, e.g. 0.95
 * @param basis      where the errors came from: a {@link Sample} basis, or {@code mixed}
 */
record RatioEstimate(double ratio, double low, double high, double confidence, String basis) {
    /** The confidence of every interval in reports and comparisons. */
    static final double CONFIDENCE = 0.95;

    /** B's throughput over A's, at {@link #CONFIDENCE}. */
    static RatioEstimate between(Throughput a, Throughput b) {
        return of(a.sample(), b.sample(), CONFIDENCE);
    }

    static RatioEstimate of(Sample a, Sample b, double confidence) {
        double ratio = b.mean() / a.mean();
        double va = relativeVariance(a);
        double vb = relativeVariance(b);
        String basis = a.basis().equals(b.basis()) ? a.basis() : "mixed";
        if (Double.isNaN(va + vb)) return new RatioEstimate(ratio, Double.NaN, Double.NaN, confidence, basis);
        if (va + vb == 0) return new RatioEstimate(ratio, ratio, ratio, confidence, basis);
        double df = (va + vb) * (va + vb) / (term(va, a.degreesOfFreedom()) + term(vb, b.degreesOfFreedom()));
        double p = Sample.twoSided(confidence);
        double t = Double.isInfinite(df) ? new NormalDistribution(null, 0, 1).inverseCumulativeProbability(p)
                : new TDistribution(null, df).inverseCumulativeProbability(p);
        double half = t * Math.sqrt(va + vb);
        return new RatioEstimate(ratio, ratio * Math.exp(-half), ratio * Math.exp(half), confidence, basis);
    }

    private static double relativeVariance(Sample s) {
        double relative = s.standardError() / s.mean();
        return relative * relative;
    }

    private static double term(double variance, double df) {
        return Double.isInfinite(df) ? 0 : variance * variance / df;
    }

    /** Whether the interval lies wholly above or below 1. */
    boolean excludesOne() {
        return low > 1 || high < 1;
    }
}
