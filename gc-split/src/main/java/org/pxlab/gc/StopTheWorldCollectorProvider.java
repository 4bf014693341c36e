package org.pxlab.gc;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link StopTheWorldCollector} as {@code stop-the-world}. Options: {@code threshold}
 * (default 2000, 3.13t's young threshold; 0 turns automatic collection off) and
 * {@code count-batch} (default 512, 3.13t's {@code LOCAL_ALLOC_COUNT_THRESHOLD}: allocations a
 * thread counts locally before adding them to the shared count).
 */
public final class StopTheWorldCollectorProvider implements ComponentProvider {
    /** The options. */
    public static final String THRESHOLD = "threshold", COUNT_BATCH = "count-batch";

    /** {@link ComponentKind#COLLECTOR}. */
    @Override
    public ComponentKind kind() {
        return ComponentKind.COLLECTOR;
    }

    /** {@code stop-the-world}. */
    @Override
    public String name() {
        return "stop-the-world";
    }

    /** One line for {@code pxlab list}. */
    @Override
    public String description() {
        return "CPython 3.13t's collector (gc_free_threading.c): stops the world (pystate.c), finds objects by walking"
                + " the allocator, gc_refs from refcounts; no PyGC_Head; threshold 2000; pauses in an HdrHistogram";
    }

    /**
     * A fresh collector with the configured options.
     *
     * @throws org.pxlab.runtime.config.ConfigurationException for a value out of range, not a
     *         number, or an unknown option
     */
    @Override
    public Object create(ComponentParameters parameters) {
        long threshold = parameters.longValue(THRESHOLD, StopTheWorldCollector.DEFAULT_THRESHOLD, 0,
                CycleCollectorProvider.MAX_THRESHOLD);
        long batch = parameters.longValue(COUNT_BATCH, StopTheWorldCollector.DEFAULT_COUNT_BATCH, 1,
                CycleCollectorProvider.MAX_THRESHOLD);
        parameters.checkAllUsed();
        return new StopTheWorldCollector(threshold, (int) batch);
    }
}
