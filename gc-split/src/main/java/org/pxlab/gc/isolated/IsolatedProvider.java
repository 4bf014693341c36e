package org.pxlab.gc.isolated;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link Isolated} as the sync discipline {@code isolated}. */
public final class IsolatedProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.SYNC;
    }

    @Override
    public String name() {
        return "isolated";
    }

    @Override
    public String description() {
        return "a heap per interpreter, actor or process, each with its own lock and collector; shared state, requests and"
                + " responses copied; cross-heap references refused";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        parameters.checkAllUsed();
        return new Isolated();
    }
}
