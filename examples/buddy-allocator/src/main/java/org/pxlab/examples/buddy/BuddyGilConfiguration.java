package org.pxlab.examples.buddy;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code buddy-gil}: the {@code gil} configuration with the example {@code buddy} allocator in
 * place of pymalloc, to compare a general-purpose power-of-two allocator with size classes
 * under the same lock, refcounts and collector.
 */
public final class BuddyGilConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("buddy-gil")
                .describedAs("example plug-in: the gil configuration with the buddy allocator instead of pymalloc")
                .models(PythonVersion.V3_12)
                .sync("gil")
                .space("main", s -> s.allocator(BuddyAllocatorProvider.NAME).refcount("plain").collector("cycle"))
                .place(Placement.ANY, "main")
                .build();
    }
}
