package org.pxlab.gc.split;

import java.util.List;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link SplitBrain} as the sync discipline {@code split-brain}. Option
 * {@code guard}: {@code complete} (the default: every persisting store refused) or
 * {@code faithful} (PyParallel's own checks and their gaps, for the stress suite's controls).
 */
public final class SplitBrainProvider implements ComponentProvider {
    /** The option choosing the persistence guard. */
    public static final String GUARD = "guard";

    @Override
    public ComponentKind kind() {
        return ComponentKind.SYNC;
    }

    @Override
    public String name() {
        return "split-brain";
    }

    @Override
    public String description() {
        return "PyParallel: main thread = GIL holder; per-connection parallel contexts with bump heaps rolled back per"
                + " request; persistence guard (complete or faithful), async.protect, call-into-main";
    }

    /** @throws org.pxlab.runtime.config.ConfigurationException if {@code guard} is not complete or faithful */
    @Override
    public Object create(ComponentParameters parameters) {
        String guard = parameters.choice(GUARD, "complete", List.of("complete", "faithful"));
        parameters.checkAllUsed();
        return new SplitBrain(guard.equals("complete"));
    }
}
