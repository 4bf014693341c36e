package org.pxlab.experiments.cli;

import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.spi.ComponentKind;

/**
 * Whether the components the built-in {@code gil} configuration names are on the class path.
 * They come from modules developed in parallel with the CLI; tests that need them are
 * {@code @EnabledIf} this and run once those modules are merged.
 */
final class GilComponents {
    private GilComponents() {}

    static boolean registered() {
        ComponentRegistry r = ComponentRegistry.load();
        return r.names(ComponentKind.ALLOCATOR).contains("size-class-pool")
                && r.names(ComponentKind.COLLECTOR).contains("cycle")
                && gilSyncRegistered();
    }

    static boolean gilSyncRegistered() {
        return ComponentRegistry.load().names(ComponentKind.SYNC).contains("gil");
    }
}
