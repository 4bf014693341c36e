package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code subinterpreters}: CPython's per-interpreter GIL (PEP 684, 3.12) serving through
 * {@code concurrent.interpreters} (PEP 734, 3.14). One interpreter per worker, each with its
 * own pymalloc, plain counts, cycle collector and lock; the immortal static objects shared by
 * all; the main interpreter's module state copied into each worker's heap at its first request;
 * requests and responses copied through the main interpreter, as a queue's items cross.
 */
public final class SubinterpretersConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return IsolatedHeaps.declare(ConfigurationDeclaration.named("subinterpreters")
                        .describedAs("PEP 684/734: an interpreter per worker (pymalloc, plain, cycle GC, own GIL); immortals"
                                + " shared; module state copied in; requests and responses copied through a queue")
                        .models(PythonVersion.V3_12)
                        .sync("isolated"),
                "interpreter", s -> s.allocator("size-class-pool").refcount("plain").collector("cycle"))
                .build();
    }
}
