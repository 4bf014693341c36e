package org.pxlab.experiments.projection;

import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.projection.MemoryObserver;
import org.pxlab.runtime.serve.InterleavedServer;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * One counting run: a configuration, counted ({@link CountingConfiguration}), serves a
 * workload on N logical cores interleaved request by request ({@link InterleavedServer}),
 * with the coherence model watching simulated memory. Warm-up requests bring lines, owners
 * and locks to a steady state; then the counts restart and the counted requests run.
 *
 * <p>Deterministic: the same configuration, workload and options (its seed among them), core
 * count and request counts give equal {@link EventCounts}. Needs a JVM started with
 * {@code -Dpxlab.projection=true}; one run at a time per JVM (the observer is global).
 *
 * @param warmUp  requests served before counting
 * @param counted requests counted
 */
public record CountingRun(int cores, long warmUp, long counted) {
    public CountingRun {
        if (cores < 1 || cores >= ThreadContext.MAX_THREADS) {
            throw new ConfigurationException("--cores", Integer.toString(cores), "1 to " + (ThreadContext.MAX_THREADS - 1));
        }
        if (warmUp < 0) throw new ConfigurationException("warm-up requests", Long.toString(warmUp), "0 or more");
        if (counted < 1) throw new ConfigurationException("counted requests", Long.toString(counted), "1 or more");
    }

    /**
     * Counts {@code workload} on the named configuration.
     *
     * @throws IllegalStateException if the JVM was not started with {@code -Dpxlab.projection=true}
     */
    public EventCounts count(ComponentRegistry registry, String configuration, Workload workload, ComponentParameters options) {
        if (!Memory.OBSERVED) {
            throw new IllegalStateException("a counting run needs a JVM started with -Dpxlab.projection=true"
                    + " (the coherence model observes simulated memory only then)");
        }
        Tally tally = new Tally();
        tally.logicalCores(cores);
        synchronized (CountingRun.class) {
            var decorated = CountingConfiguration.decorate(registry.assemble(configuration), tally);
            Memory.observe(tally.coherence);
            try (PxRuntime runtime = PxRuntime.start(decorated)) {
                Service service = Server.setUp(runtime, workload, options);
                InterleavedServer.serve(runtime, service, cores, warmUp, counted, new InterleavedServer.Turns() {
                    @Override
                    public void turn(int core, ThreadContext thread) {
                        tally.coherence.runAs(thread.id());
                    }

                    @Override
                    public void warmedUp() {
                        tally.warmedUp();
                    }
                });
                tally.finish();
            } finally {
                Memory.observe(MemoryObserver.NONE);
            }
        }
        return tally.counts;
    }
}
