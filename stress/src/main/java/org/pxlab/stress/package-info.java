/**
 * jcstress tests that prove or refute the safety claims of pxlab's components and
 * configurations, one narrated test per class, and the suite runner that CI uses.
 *
 * <ul>
 *   <li>{@link org.pxlab.stress.sync}: sync disciplines ({@code gil}: mutual exclusion).</li>
 *   <li>{@link org.pxlab.stress.refcount}: refcount strategies ({@code plain} under the GIL,
 *       and without it as a known-unsafe control).</li>
 *   <li>{@link org.pxlab.stress.allocator}: allocators ({@code malloc} shared by two threads;
 *       {@code size-class-pool} shared without a lock as a known-unsafe control).</li>
 *   <li>{@link org.pxlab.stress.support}: what the tests share: the actors' thread contexts,
 *       components made by name, and the pools that keep per-state off-heap memory and
 *       components cheap (jcstress creates a new state object for every sample).</li>
 *   <li>{@link org.pxlab.stress.check}: {@link org.pxlab.stress.check.StressSuite}, which runs
 *       jcstress and then refuses a run in which a forbidden outcome was seen, a test did not
 *       run, or a known-unsafe control did not show its hazard.</li>
 * </ul>
 *
 * <p>Every test has at most two actors (plus an arbiter): jcstress on a 2-CPU machine skips
 * tests with more ("No scheduling is possible"). Tests marked
 * {@link org.pxlab.stress.support.KnownUnsafeControl} are controls: they exercise a component
 * outside its safety rule on purpose, and a run in which a control never showed its hazard
 * proves nothing about the others, so it is invalid.
 */
package org.pxlab.stress;
