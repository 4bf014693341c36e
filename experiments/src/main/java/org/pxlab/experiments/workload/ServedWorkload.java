package org.pxlab.experiments.workload;

import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * A started runtime with one workload set up on it, for the commands and suite measurements
 * that serve in-process (latency, footprint); closing it closes the runtime.
 *
 * @param runtime the started runtime
 * @param service the workload's service, set up on the runtime's main thread
 */
public record ServedWorkload(PxRuntime runtime, Service service) implements AutoCloseable {

    /**
     * Starts a runtime of {@code configuration} and sets {@code workload} up on it with
     * {@code parameters}; on a refusal (an unknown or bad option) the runtime is closed again.
     */
    public static ServedWorkload start(Configuration configuration, Workload workload, ComponentParameters parameters) {
        PxRuntime runtime = PxRuntime.start(configuration);
        try {
            return new ServedWorkload(runtime, Server.setUp(runtime, workload, parameters));
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
