package org.pxlab.runtime.serve;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * A workload: Python-shaped code written with {@link Mutator} operations, run unchanged on
 * every configuration. Registered through {@link java.util.ServiceLoader} under
 * {@code META-INF/services/org.pxlab.runtime.serve.Workload}.
 *
 * <p>{@link #setUp} runs once on the runtime's main thread, attached: it builds the shared
 * state (modules, classes, functions, data) as a program's import-time code would, and
 * returns the {@link Service} that answers requests. Workloads never start threads.
 */
public interface Workload {
    /** The name users type, e.g. {@code wiki-search}. */
    String name();

    /** One line saying what it models, for {@code pxlab list}. */
    String description();

    /**
     * Builds the shared state on the main thread.
     *
     * @param parameters the workload's options (e.g. {@code titles: 200000}); unknown options are
     *                   refused through {@link ComponentParameters#checkAllUsed()}
     */
    Service setUp(Mutator m, ComponentParameters parameters);
}
