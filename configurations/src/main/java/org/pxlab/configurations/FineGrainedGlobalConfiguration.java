package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code fine-grained-global}: {@code fine-grained} as the 1990s built it (Greg Stein's
 * free-threading patch for Python 1.4): one lock around a pymalloc shared by every thread
 * ({@code locked-global}), {@code interlocked} counts, {@code per-object-locks} with every
 * container read taken under the container's lock, and the {@code stop-the-world} collector.
 * Beside {@code fine-grained} it shows what the allocator and the lock-free reads are worth.
 */
public final class FineGrainedGlobalConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("fine-grained-global")
                .describedAs("fine-grained with one locked pymalloc (locked-global) and every container read under its lock")
                .models(PythonVersion.V3_12)
                .sync("per-object-locks")
                .syncOption("reads", "locked")
                .space("main", s -> s.allocator("locked-global").refcount("interlocked").collector(FineGrainedConfiguration.COLLECTOR))
                .place(Placement.ANY, "main")
                .build();
    }
}
