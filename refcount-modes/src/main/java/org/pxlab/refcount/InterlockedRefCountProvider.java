package org.pxlab.refcount;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link InterlockedRefCount} as {@code interlocked}. */
public final class InterlockedRefCountProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.REFCOUNT;
    }

    @Override
    public String name() {
        return "interlocked";
    }

    @Override
    public String description() {
        return "atomic ob_refcnt as in Rust's Arc, Swift ARC and Stein's fine-grained-locking CPython patch:"
                + " relaxed inc, release dec, immortals never written";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        parameters.checkAllUsed();
        return new InterlockedRefCount();
    }
}
