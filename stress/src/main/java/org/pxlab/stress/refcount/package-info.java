/**
 * Stress tests of refcount strategies: {@code plain} under the GIL, and without it as a
 * known-unsafe control.
 */
package org.pxlab.stress.refcount;
