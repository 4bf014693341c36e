/**
 * Reports over a results folder (the folder {@code pxlab run} writes; its layout is described
 * in the README's "Reports" section): {@link org.pxlab.experiments.report.Reports#write}
 * renders {@code report.html} (self-contained, charts as inline SVG drawn by JFreeChart into
 * JFreeSVG) and {@code report.md} (the same tables), and
 * {@link org.pxlab.experiments.report.FolderComparison} sets two folders side by side for
 * {@code pxlab compare}.
 *
 * <p>Reading ({@link org.pxlab.experiments.report.ResultsFolder}) is strict: a missing file
 * only drops the sections built from it, but a malformed one stops everything with a
 * {@link org.pxlab.experiments.report.ResultsFormatException} naming the file, the line and
 * the field, before anything is written. Every string that came from the results is escaped
 * on its way into HTML or Markdown: a configuration's name is user input.
 *
 * <p>A folder's projections (projection.csv, model output) are drawn as dashed lines beside the
 * measured points ({@link org.pxlab.experiments.report.ProjectionSection}); a folder without
 * the file gets the report it had before.
 *
 * <p>Ratios of throughputs carry a confidence interval computed from both measurements'
 * errors ({@link org.pxlab.experiments.report.RatioEstimate}); verdicts come from Welch's
 * t-test on the forks' means ({@link org.pxlab.experiments.report.Verdict}).
 */
package org.pxlab.experiments.report;
