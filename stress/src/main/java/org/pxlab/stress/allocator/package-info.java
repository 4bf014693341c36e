/**
 * Stress tests of allocators: {@code malloc} shared by two threads, and {@code size-class-pool}
 * shared without a lock as a known-unsafe control.
 */
package org.pxlab.stress.allocator;
