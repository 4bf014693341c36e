package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code multiprocessing}: the baseline PyParallel measured itself against (one 11 GB shared
 * trie instead of 88 GB for 8 processes). One process-like heap per worker, each CPython's own
 * (pymalloc, plain counts, cycle collector, its own GIL); the parent's shared state copied
 * into every process (the footprint is N copies); requests and results pickled (a bytes buffer in
 * the sender's heap) and rebuilt in the receiver's ({@code messages: pickled}). No
 * real process is started: the model is the heaps and the copies.
 */
public final class MultiprocessingConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return IsolatedHeaps.declare(ConfigurationDeclaration.named("multiprocessing")
                        .describedAs("the baseline: a process-like heap per worker (pymalloc, plain, cycle GC), the parent's"
                                + " shared state copied into each (N copies); requests and results pickled")
                        .models(PythonVersion.V3_12)
                        .sync("isolated")
                        .syncOption("messages", "pickled"),
                "process", s -> s.allocator("size-class-pool").refcount("plain").collector("cycle"))
                .build();
    }
}
