package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code gil}: CPython up to 3.12. One space for everything: pymalloc's size classes, plain
 * {@code ob_refcnt} counts with PEP 683 immortals, the generational cycle collector; and one
 * global interpreter lock, handed over after the 5 ms switch interval when another thread
 * asks for it. Only one thread runs simulated code at a time, which is what makes the plain
 * counts and the unlocked allocator safe.
 */
public final class GilConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("gil")
                .describedAs("CPython <= 3.12: one global interpreter lock; pymalloc, plain refcounts, cycle GC")
                .models(PythonVersion.V3_12)
                .sync("gil")
                .space("main", s -> s.allocator("size-class-pool").refcount("plain").collector("cycle"))
                .place(Placement.ANY, "main")
                .build();
    }
}
