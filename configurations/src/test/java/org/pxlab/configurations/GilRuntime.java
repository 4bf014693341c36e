package org.pxlab.configurations;

import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.discipline.RefTrafficRecorder;
import org.pxlab.runtime.exec.PxRuntime;

/** Starts runtimes of the built-in {@code gil} configuration for tests. */
final class GilRuntime {
    private GilRuntime() {}

    static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    static PxRuntime start() {
        return PxRuntime.start(REGISTRY.assemble("gil"));
    }

    /** A runtime whose refcount calls pass through a {@link RefTrafficRecorder} ({@code recorder(rt)}). */
    static PxRuntime startRecording() {
        return PxRuntime.start(REGISTRY.assemble("gil"), RefTrafficRecorder::new);
    }

    static RefTrafficRecorder recorder(PxRuntime rt) {
        return (RefTrafficRecorder) rt.heap().refcounts();
    }
}
