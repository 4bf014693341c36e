/**
 * Per-context allocation: the router through which a space whose objects belong to one
 * parallel context at a time ({@code threadPrivate}, with a {@link org.pxlab.runtime.spi.ContextArena}
 * allocator) allocates in the arena of the context its calling thread runs now. The contexts
 * themselves, their snapshots and their rules belong to the sync discipline that has them
 * (PyParallel's {@code split-brain}, in {@code gc-split}).
 */
package org.pxlab.runtime.context;
