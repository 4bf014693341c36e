package org.pxlab.runtime.sync;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link GlobalInterpreterLock} as the sync discipline {@code gil}.
 *
 * <p>Option: {@code switch-interval-us}, the switch interval in microseconds
 * ({@code sys.setswitchinterval} × 10^6), from 1 to 1,000,000; default 5000, CPython's 5 ms.
 */
public final class GilProvider implements ComponentProvider {
    /** The option naming the switch interval in microseconds. */
    public static final String SWITCH_INTERVAL_US = "switch-interval-us";

    /** {@link ComponentKind#SYNC}. */
    @Override
    public ComponentKind kind() {
        return ComponentKind.SYNC;
    }

    /** {@code gil}. */
    @Override
    public String name() {
        return "gil";
    }

    /** One line for {@code pxlab list}. */
    @Override
    public String description() {
        return "CPython 3.12's global interpreter lock (Python/ceval_gil.c): switch interval, drop requests, forced switching";
    }

    /**
     * A fresh {@link GlobalInterpreterLock}.
     *
     * @throws org.pxlab.runtime.config.ConfigurationException if {@code switch-interval-us}
     *         is not a whole number from 1 to 1000000, or an unknown option is given
     */
    @Override
    public Object create(ComponentParameters parameters) {
        long interval = parameters.longValue(SWITCH_INTERVAL_US, GlobalInterpreterLock.DEFAULT_SWITCH_INTERVAL_MICROS,
                GlobalInterpreterLock.MIN_SWITCH_INTERVAL_MICROS, GlobalInterpreterLock.MAX_SWITCH_INTERVAL_MICROS);
        parameters.checkAllUsed();
        return new GlobalInterpreterLock(interval);
    }
}
