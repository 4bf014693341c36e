/**
 * Experiment suites: the YAML files that say what {@code pxlab run} measures (configurations,
 * workloads with their parameters, thread counts, JMH, latency, footprint, stress and projection settings),
 * read safely ({@link org.pxlab.experiments.suite.SafeYaml}: no tags, no objects built from
 * input, size limits), checked before anything runs
 * ({@link org.pxlab.experiments.suite.SuiteParser}: every refusal names the field path, the value
 * and what is allowed), and flattened into {@link org.pxlab.experiments.suite.Measurement}s with
 * stable ids. The built-in suites ({@code quick}, {@code headline}, {@code allocators},
 * {@code full}) are resources of this package ({@link org.pxlab.experiments.suite.BuiltInSuites}).
 */
package org.pxlab.experiments.suite;
