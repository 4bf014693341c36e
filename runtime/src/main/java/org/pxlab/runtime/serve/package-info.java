/**
 * The runtime-owned server harness: a workload builds its shared state on the main thread
 * and names a request handler; the {@link org.pxlab.runtime.serve.Server} serves a stream of
 * requests on the runtime's worker threads, each request in its own frame, and checks every
 * answer, closed loop; the {@link org.pxlab.runtime.serve.OpenLoopServer} serves them on a fixed
 * schedule and records each request's latency from its due time. What the threads contend on is
 * the configuration's business.
 */
package org.pxlab.runtime.serve;
