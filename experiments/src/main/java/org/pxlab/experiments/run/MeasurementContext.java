package org.pxlab.experiments.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import org.pxlab.experiments.suite.Composition;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Configuration;

/**
 * What a {@link MeasurementKind} may use while it runs.
 *
 * @param folder     the results folder
 * @param registry   components and configurations
 * @param workloads  the workloads
 * @param throughput this run's throughput results so far, for latency rates given as a fraction
 */
public record MeasurementContext(Path folder, ComponentRegistry registry, Workloads workloads, Throughputs throughput) {

    /** The throughput already measured in this results folder for a configuration, workload, params and threads. */
    public interface Throughputs {
        /** Requests per second, or empty when not measured (or failed). */
        OptionalDouble of(String configuration, String workload, Map<String, String> params, int threads);
    }

    /** A fresh configuration of the measurement (built-in or composed). */
    public Configuration configuration(Measurement m) {
        return Composition.assemble(registry, m.configuration(), m.composition());
    }
}
