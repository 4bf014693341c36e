package org.pxlab.gc.split;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link ArenaReleaseCollector} as the collector {@code arena-release}. */
public final class ArenaReleaseCollectorProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.COLLECTOR;
    }

    @Override
    public String name() {
        return "arena-release";
    }

    @Override
    public String description() {
        return "PyParallel's parallel contexts: no GC header, nothing tracked; memory returns when the context's heap is"
                + " rolled back or rewound";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        parameters.checkAllUsed();
        return new ArenaReleaseCollector();
    }
}
