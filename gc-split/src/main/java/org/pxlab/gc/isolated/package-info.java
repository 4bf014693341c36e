/**
 * The isolated designs ({@code isolated}): a heap per interpreter, actor or process, each with
 * its own allocator, refcount strategy, collector and lock; nothing shared but immortal
 * objects; whatever crosses is copied. The main interpreter's heap is space 0 and worker
 * {@code k}'s is space {@code k}; the discipline places each thread in its own heap, copies
 * the main interpreter's shared state into it at the worker's first request
 * ({@link org.pxlab.gc.isolated.GraphCopy}), copies requests in and responses out, and refuses
 * every store that would make one heap reference another's object
 * ({@link org.pxlab.gc.isolated.IsolationGuard}). Erlang's off-heap binaries, shared between
 * actors by refcounted handles, are {@link org.pxlab.gc.isolated.RefcBinaries}.
 */
package org.pxlab.gc.isolated;
