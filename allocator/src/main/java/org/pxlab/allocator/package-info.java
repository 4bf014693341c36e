/**
 * Allocators: where a space's blocks come from. pymalloc's size classes
 * ({@code size-class-pool}), the C library ({@code malloc}), PyParallel's bump arenas
 * ({@code bump-arena}, with O(1) snapshot and rollback), and the thread-safe designs the
 * free-threaded comparison needs: one lock around pymalloc ({@code locked-global}, with a
 * {@code PyMutex}-style lock) and mimalloc's per-thread heaps with delayed cross-thread frees
 * and QSBR-delayed page reuse, as CPython's free-threaded build has them
 * ({@code thread-sharded}). The segregated allocators share pymalloc's size classes
 * ({@code SizeClasses}). Each registers through {@code ComponentProvider} and passes the
 * allocator contract kit.
 */
package org.pxlab.allocator;
