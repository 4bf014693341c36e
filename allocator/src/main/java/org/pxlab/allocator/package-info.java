/**
 * Allocators: where a space's blocks come from. pymalloc's size classes
 * ({@code size-class-pool}), the C library ({@code malloc}), PyParallel's bump arenas
 * ({@code bump-arena}, with O(1) snapshot and rollback), and
 * the thread-safe designs the free-threaded comparison needs. Each registers through
 * {@code ComponentProvider} and passes the allocator contract kit.
 */
package org.pxlab.allocator;
