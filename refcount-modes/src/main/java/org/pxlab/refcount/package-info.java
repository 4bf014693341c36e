/**
 * Refcount strategies: how an object's header counts references, from CPython 3.12's plain
 * {@code ob_refcnt} to interlocked, elided (PyParallel), biased (PEP 703) and sign-bit
 * (Lean 4, Koka) counts. Each registers through {@code ComponentProvider} and passes the
 * refcount contract kit.
 */
package org.pxlab.refcount;
