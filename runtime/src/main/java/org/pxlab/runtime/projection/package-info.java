/**
 * What the runtime offers the projection model (README, "Projection"; {@code docs/projection.md}):
 * hooks through which a counting runtime watches the same workload code run, without any
 * component knowing. {@link org.pxlab.runtime.projection.MemoryObserver} sees every access
 * to simulated memory when the JVM runs with {@code -Dpxlab.projection=true} (and costs
 * nothing otherwise); {@link org.pxlab.runtime.serve.InterleavedServer} runs N logical
 * mutators, one request at a time in a fixed order, on the calling Java thread, so that a
 * run's counts depend only on the workload, its seed and N. The counters themselves, the
 * coherence model and the cost model live in {@code org.pxlab.experiments.projection}.
 */
package org.pxlab.runtime.projection;
