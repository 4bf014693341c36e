/**
 * Workloads: Python programs written with the mutator's bytecode-level operations, the
 * Python source beside them, each checking its own answers. They run unchanged on every
 * configuration.
 */
package org.pxlab.experiments.workload;
