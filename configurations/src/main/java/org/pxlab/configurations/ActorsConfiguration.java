package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code actors}: Erlang's processes as Python-shaped actors. A private heap per actor (one per
 * worker: pymalloc, plain counts, cycle collector, its own lock); messages copied on send;
 * blobs over 64 bytes off-heap, shared by refcounted handles, one per holding heap, the bytes
 * freed with the last handle (Erlang's refc binaries, {@code binaries: refc}).
 */
public final class ActorsConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return IsolatedHeaps.declare(ConfigurationDeclaration.named("actors")
                        .describedAs("Erlang-style: a private heap per actor (pymalloc, plain, cycle GC), messages copied on send;"
                                + " blobs over 64 B off-heap, shared by refcounted handles (refc binaries)")
                        .models(PythonVersion.V3_12)
                        .sync("isolated")
                        .syncOption("binaries", "refc"),
                "actor", s -> s.allocator("size-class-pool").refcount("plain").collector("cycle"))
                .build();
    }
}
