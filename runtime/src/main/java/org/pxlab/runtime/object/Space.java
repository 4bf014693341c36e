package org.pxlab.runtime.object;

import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * A region of the simulated heap with one policy: an allocator, a refcount strategy and a
 * collector (MMTk's space, with CPython's reference counting added). A configuration has
 * one or more; every object belongs to exactly one, found from its header.
 *
 * @param name       the space's name in its configuration
 * @param index      dense index, stored in object headers when there are several spaces
 * @param allocator  where its blocks come from
 * @param refcount   how its objects count references
 * @param collector  what reclaims its cycles or its arenas
 * @param shared     whether several runtime threads may reach its objects
 * @param preHeader  the collector's pre-header, placed before tracked containers (may be empty)
 */
public record Space(String name, int index, Allocator allocator, RefCountStrategy refcount, Collector collector,
                    boolean shared, StructLayout preHeader) {

    /** Bytes in front of a container object of this space (0 when the collector tracks none). */
    public int preHeaderSize() {
        return preHeader.size();
    }
}
