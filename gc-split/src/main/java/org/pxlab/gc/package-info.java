/**
 * Collectors and the split between heaps: CPython's generational cycle collector, the
 * stop-the-world collector, PyParallel's parallel contexts with their arenas, and the
 * persistence guard.
 */
package org.pxlab.gc;
