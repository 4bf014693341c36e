package org.pxlab.refcount;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link PlainRefCount} as {@code plain}. */
public final class PlainRefCountProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.REFCOUNT;
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public String description() {
        return "CPython 3.12's ob_refcnt: plain adds, PEP 683 immortals; safe only under one lock (the GIL)";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        parameters.checkAllUsed();
        return new PlainRefCount();
    }
}
