/**
 * The safety matrix: {@link org.pxlab.experiments.stress.SafetyMatrixRun} runs the jcstress
 * suite (the shaded {@code stress/target/jcstress.jar}, in a JVM of its own, as the build does),
 * reads the summary its runner writes ({@link org.pxlab.experiments.stress.StressSummary}) and
 * renders configuration x hazard as {@code stress.csv} and {@code stress.md}
 * ({@link org.pxlab.experiments.stress.SafetyMatrix}). {@code pxlab stress} and the suites of
 * {@code pxlab run} both call it.
 */
package org.pxlab.experiments.stress;
