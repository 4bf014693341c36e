package org.pxlab.experiments.workload;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.serve.Workload;

/** The workloads on the class path, found through {@link ServiceLoader}, by name. */
public final class Workloads {
    private final Map<String, Workload> byName = new TreeMap<>();

    private Workloads() {}

    /** Loads every registered workload. */
    public static Workloads load() {
        Workloads w = new Workloads();
        for (Workload workload : ServiceLoader.load(Workload.class)) {
            Workload old = w.byName.putIfAbsent(workload.name(), workload);
            if (old != null && old.getClass() != workload.getClass()) {
                throw new IllegalStateException("two workloads are named " + workload.name());
            }
        }
        return w;
    }

    /** All workloads, by name. */
    public List<Workload> all() {
        return List.copyOf(byName.values());
    }

    /**
     * The named workload.
     *
     * @throws ConfigurationException naming the value and the known workloads
     */
    public Workload named(String name) {
        Workload w = byName.get(name);
        if (w == null) throw new ConfigurationException("workload", name, "one of " + byName.keySet());
        return w;
    }
}
