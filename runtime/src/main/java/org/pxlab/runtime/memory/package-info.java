/**
 * Simulated memory: native memory addressed by {@code long}, read and written through FFM,
 * and obtained from the C library's allocator. No simulated object is a Java object, so the
 * JVM's garbage collector is never what a benchmark measures.
 */
package org.pxlab.runtime.memory;
