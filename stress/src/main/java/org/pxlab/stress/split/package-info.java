/**
 * Stress tests of PyParallel's split brain ({@code split-brain}) on a whole runtime: the
 * persistence guard (complete, and {@code guard: faithful} as a known-unsafe control) and a
 * main-side removal under a parallel reader (unprotected as a control, and
 * {@code async.protect}ed). {@link org.pxlab.stress.split.SplitBrainRig} says how jcstress's
 * actors play a parallel context and the main thread.
 */
package org.pxlab.stress.split;
