/** Workloads, benchmarks, suites, reports and the {@code pxlab} command line. */
package org.pxlab.experiments;
