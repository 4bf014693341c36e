/**
 * Stress tests of collectors racing mutators: {@code stop-the-world} on a whole
 * {@code fine-grained} runtime ({@link org.pxlab.stress.gc.StopTheWorldRig}).
 */
package org.pxlab.stress.gc;
