/**
 * Stress tests of refcount strategies: {@code plain} under the GIL, and without it as a
 * known-unsafe control; {@code interlocked}; {@code biased} (the owner's plain and a
 * non-owner's atomic increments, and the last two references dropped through a merge queue).
 */
package org.pxlab.stress.refcount;
