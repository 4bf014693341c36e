package org.pxlab.gc;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link CycleCollector} as {@code cycle}. Options {@code threshold0},
 * {@code threshold1}, {@code threshold2} are {@code gc.set_threshold}'s three numbers
 * (defaults 700, 10, 10; {@code threshold0: 0} turns automatic collection off, as in CPython).
 */
public final class CycleCollectorProvider implements ComponentProvider {
    /** Largest threshold accepted: large enough to mean "never", small enough to stay an int in reports. */
    static final long MAX_THRESHOLD = Integer.MAX_VALUE;

    /** {@link ComponentKind#COLLECTOR}. */
    @Override
    public ComponentKind kind() {
        return ComponentKind.COLLECTOR;
    }

    /** {@code cycle}. */
    @Override
    public String name() {
        return "cycle";
    }

    /** One line for {@code pxlab list}. */
    @Override
    public String description() {
        return "CPython 3.12's generational cycle collector (gcmodule.c): 16-byte PyGC_Head, 3 generations,"
                + " thresholds 700/10/10, runs at the eval breaker; needs the GIL";
    }

    /**
     * A fresh collector with the configured thresholds.
     *
     * @throws org.pxlab.runtime.config.ConfigurationException for a negative, non-numeric or
     *         unknown option
     */
    @Override
    public Object create(ComponentParameters parameters) {
        long t0 = parameters.longValue("threshold0", CycleCollector.DEFAULT_THRESHOLD0, 0, MAX_THRESHOLD);
        long t1 = parameters.longValue("threshold1", CycleCollector.DEFAULT_THRESHOLD1, 0, MAX_THRESHOLD);
        long t2 = parameters.longValue("threshold2", CycleCollector.DEFAULT_THRESHOLD2, 0, MAX_THRESHOLD);
        parameters.checkAllUsed();
        return new CycleCollector(t0, t1, t2);
    }
}
