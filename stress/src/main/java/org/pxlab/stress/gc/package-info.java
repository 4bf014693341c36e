/**
 * Stress tests of collectors racing mutators: {@code stop-the-world} on a whole
 * {@code fine-grained} runtime ({@link org.pxlab.stress.support.RuntimeRig}).
 */
package org.pxlab.stress.gc;
