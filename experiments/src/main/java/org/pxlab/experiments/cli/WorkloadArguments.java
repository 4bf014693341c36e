package org.pxlab.experiments.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pxlab.experiments.workload.ServedWorkload;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.serve.OpenLoopPlan;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The arguments of the commands that serve a workload ({@code latency}, {@code footprint}):
 * a configuration, a workload, its options and the number of workers. A picocli mixin.
 */
final class WorkloadArguments {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "A configuration name, as `pxlab list` shows them.")
    String configuration;

    @Parameters(index = "1", paramLabel = "WORKLOAD", description = "A workload name, as `pxlab list` shows them.")
    String workload;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "A workload option, e.g. -o titles=20000 for wiki-search; repeatable. Unknown ones are refused.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Runtime worker threads serving requests (default: ${DEFAULT-VALUE}).")
    int workers;

    /** Checks the worker count; the names are checked when {@link #start} looks them up. */
    void checkWorkers() {
        if (workers < 1 || workers > OpenLoopPlan.MAX_WORKERS) {
            throw new ConfigurationException("--workers", Integer.toString(workers), "1 to " + OpenLoopPlan.MAX_WORKERS);
        }
    }

    /** The workload, found by name (refused with the known names if unknown). */
    Workload lookUpWorkload() {
        return Workloads.load().named(workload);
    }

    /**
     * Starts a runtime of the configuration (looked up in {@code pxlab}'s registry) and sets the
     * workload up on it. Every name and option is checked before this returns; on a refusal the
     * runtime is closed again.
     */
    ServedWorkload start(PxlabCommand pxlab) {
        Workload w = lookUpWorkload();
        Configuration c = pxlab.registry().assemble(configuration);
        return ServedWorkload.start(c, w, new ComponentParameters(w.name(), options));
    }
}
