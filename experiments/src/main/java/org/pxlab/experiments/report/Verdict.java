package org.pxlab.experiments.report;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Whether B is faster than A, slower, or not significantly different, from the forks' data.
 *
 * <p>The test is Welch's two-sample t-test (commons-math3 {@link TTest#tTest(double[], double[])},
 * two-sided) on the forks' mean scores, at {@link #ALPHA}. Forks, because the iterations of
 * one JVM share its JIT decisions and memory layout and are not independent; Welch's, because
 * two configurations (or two machines) have no reason to share a variance. A bootstrap would
 * need more than the two to five forks a run has to resample from. With fewer than two forks
 * on a side, the test falls back to the iterations (basis {@code iterations}: it then
 * understates the noise between JVMs, and says so); with fewer than two of those, there is
 * no test and no claimed difference.
 *
 * <p>The verdict and {@link RatioEstimate}'s interval come from the same forks' means and
 * standard errors, but the test compares the means and the interval is built on the log of
 * their ratio: at the margin (p near 0.05) they can disagree, and the verdict is the test's.
 *
 * @param kind    the verdict
 * @param pValue  the test's two-sided p-value (NaN when there was no test)
 * @param basis   {@code forks}, {@code iterations (fewer than 2 forks)} or {@code too few samples}
 */
record Verdict(Kind kind, double pValue, String basis) {
    /** The significance level: the complement of {@link RatioEstimate#CONFIDENCE}. */
    static final double ALPHA = 1 - RatioEstimate.CONFIDENCE;

    /** What a comparison concludes about B against A. */
    enum Kind {
        FASTER("faster"), SLOWER("slower"), SAME("no significant difference");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Verdict of(Throughput a, Throughput b) {
        if (forks(a) >= 2 && forks(b) >= 2) return test(a.forks().forkMeans(), b.forks().forkMeans(), "forks");
        if (a.forks() != null && b.forks() != null
                && a.forks().iterations().length >= 2 && b.forks().iterations().length >= 2) {
            return test(a.forks().iterations(), b.forks().iterations(), "iterations (fewer than 2 forks)");
        }
        return new Verdict(Kind.SAME, Double.NaN, "too few samples");
    }

    private static int forks(Throughput t) {
        return t.forks() == null ? 0 : t.forks().forks().size();
    }

    private static Verdict test(double[] a, double[] b, String basis) {
        double meanA = Arrays.stream(a).average().orElseThrow();
        double meanB = Arrays.stream(b).average().orElseThrow();
        double p;
        if (Sample.standardDeviation(a) == 0 && Sample.standardDeviation(b) == 0) {
            // No noise at all (t is undefined): any difference is a certain one.
            p = meanA == meanB ? 1 : 0;
        } else {
            p = new TTest().tTest(a, b);
        }
        Kind kind = p >= ALPHA ? Kind.SAME : meanB > meanA ? Kind.FASTER : Kind.SLOWER;
        return new Verdict(kind, p, basis);
    }
}
