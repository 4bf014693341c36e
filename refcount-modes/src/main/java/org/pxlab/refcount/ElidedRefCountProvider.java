package org.pxlab.refcount;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link ElidedRefCount} as {@code elided}. */
public final class ElidedRefCountProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.REFCOUNT;
    }

    @Override
    public String name() {
        return "elided";
    }

    @Override
    public String description() {
        return "PyParallel: no counting at all in parallel code (main objects included), none of parallel objects on main; contexts free wholesale";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        parameters.checkAllUsed();
        return new ElidedRefCount();
    }
}
