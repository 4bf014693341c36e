/**
 * The projection model (README, "Projection"; {@code docs/projection.md}): from what two
 * measured cores show to what N cores would do. A <em>counting run</em> serves a workload on
 * N logical cores interleaved deterministically ({@link org.pxlab.runtime.serve.InterleavedServer})
 * with every component of the configuration wrapped in a counting decorator and every access
 * to simulated memory fed to a cache-coherence model ({@link org.pxlab.experiments.projection.CoherenceModel});
 * the components themselves do not know. The result is {@link org.pxlab.experiments.projection.EventCounts}.
 * A cost model turns counts into predicted throughput: its prices are measured on the machine at
 * hand ({@link org.pxlab.experiments.projection.Calibrator}) or fitted on a stated set of runs
 * ({@link org.pxlab.experiments.projection.CalibrationSet}), and each workload's interpreter
 * work is measured on the reference configuration.
 * {@link org.pxlab.experiments.projection.OutOfSampleCheck} sets its predictions beside published
 * many-thread figures it was not calibrated on.
 * Everything here is model output, never a measurement.
 */
package org.pxlab.experiments.projection;
