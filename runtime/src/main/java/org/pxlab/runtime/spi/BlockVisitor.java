package org.pxlab.runtime.spi;

/** Receives the live blocks of an {@link Allocator#walk(BlockVisitor) allocator walk}. */
@FunctionalInterface
public interface BlockVisitor {
    /**
     * @param address the block's address, as {@link Allocator#allocate} returned it
     * @param size    the block's usable size in bytes (at least what was requested)
     */
    void visit(long address, long size);
}
