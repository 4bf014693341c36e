/**
 * Sync disciplines that belong to the runtime itself: the global interpreter lock
 * ({@code gil}, CPython 3.12's {@code ceval_gil.c}) and per-object locks
 * ({@code per-object-locks}, PEP 703's {@code PyMutex} in the object header with critical
 * sections). The split-brain and isolated disciplines build on the same SPI.
 */
package org.pxlab.runtime.sync;
