/**
 * {@code pxlab run}'s machinery: the results folder (its contract is in the README, "Running
 * experiments": environment.json and suite.json first, then each finished measurement's rows
 * appended and flushed with its progress line last, so a run killed at any moment resumes
 * without losing or repeating a measurement), one {@link org.pxlab.experiments.run.MeasurementKind}
 * per kind of measurement (projections, {@link org.pxlab.experiments.run.ProjectionKind}, write
 * projection.csv, and {@link org.pxlab.experiments.run.ProjectionOfRun} adds them to a finished
 * run's folder), and the progress display.
 */
package org.pxlab.experiments.run;
