package org.pxlab.stress.support;

import java.util.List;
import java.util.Map;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;

/**
 * Components made by the names users type, through the same registry the runtime uses
 * ({@link ComponentRegistry#load()}), so a test exercises exactly what a configuration would
 * get, and a renamed or missing component fails the test rather than silently testing a copy.
 */
public final class Components {
    private Components() {}

    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    /** The eval-breaker bit given to sync disciplines (the runtime uses bit 0 too). */
    public static final int SYNC_BIT = 1;

    /** A fresh allocator named {@code name}, with default options. */
    public static Allocator allocator(String name) {
        return REGISTRY.create(ComponentKind.ALLOCATOR, name, "stress allocator", Map.of(), Allocator.class);
    }

    /**
     * A fresh refcount strategy named {@code name}, bound to the header a single-space
     * configuration with a header-less sync discipline (the GIL) would compose for it.
     */
    public static RefCountStrategy refcount(String name) {
        RefCountStrategy strategy = REGISTRY.create(ComponentKind.REFCOUNT, name, "stress refcount", Map.of(),
                RefCountStrategy.class);
        strategy.bind(Heap.composeHeader(List.of(strategy), List.of()));
        return strategy;
    }

    /** The header {@link #refcount} binds its strategy to, for the object size it implies. */
    public static StructLayout header(RefCountStrategy strategy) {
        return Heap.composeHeader(List.of(strategy), List.of());
    }

    /**
     * A fresh sync discipline named {@code name}, bound as the runtime binds one: to a header
     * with its own fields, and to a site whose drop requests set {@link #SYNC_BIT} on the
     * holder's eval breaker. Stress actors never poll, so a request only makes the holder's
     * next {@code detach} wait until the requester has the lock, as CPython's
     * {@code FORCE_SWITCHING} does.
     */
    public static SyncDiscipline sync(String name) {
        SyncDiscipline sync = REGISTRY.create(ComponentKind.SYNC, name, "stress sync", Map.of(), SyncDiscipline.class);
        sync.bind(Heap.composeHeader(List.of(), sync.headerFields()), SITE);
        return sync;
    }

    private static final SyncSite SITE = new SyncSite() {
        @Override
        public int breakerBit() {
            return SYNC_BIT;
        }

        @Override
        public void schedule(ThreadContext thread) {
            thread.signal(SYNC_BIT);
        }
    };
}
