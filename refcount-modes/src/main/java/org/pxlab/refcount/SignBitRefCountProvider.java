package org.pxlab.refcount;

import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** Registers {@link SignBitRefCount} as {@code sign-bit}. */
public final class SignBitRefCountProvider implements ComponentProvider {
    @Override
    public ComponentKind kind() {
        return ComponentKind.REFCOUNT;
    }

    @Override
    public String name() {
        return "sign-bit";
    }

    @Override
    public String description() {
        return "Lean 4 / Koka: one i32 m_rc, positive = single-threaded and plain, negative = shared and atomic,"
                + " 0 = persistent; markShared walks a graph once (lean_mark_mt); not thread safe until marked";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        parameters.checkAllUsed();
        return new SignBitRefCount();
    }
}
