/**
 * What the stress tests share: {@link org.pxlab.stress.support.Actors} (one runtime thread
 * context per actor role), {@link org.pxlab.stress.support.Components} (components made by
 * name, as users name them), the {@link org.pxlab.stress.support.KnownUnsafeControl} marker,
 * and pools of per-state resources ({@link org.pxlab.stress.support.Pool},
 * {@link org.pxlab.stress.support.SlotPool}).
 *
 * <h2>Why pools</h2>
 * jcstress 0.16 makes {@code strideSize x strideCount} state objects per epoch (up to 10,240
 * by default) and replaces each one with a new instance after every sample, so a state's
 * constructor runs millions of times. Off-heap memory taken there must be reused, not
 * allocated (DESIGN.md section 11), and heavy Java objects (a GIL keeps 16 KiB of per-thread
 * counters) must be too. A state therefore <em>takes</em> what it needs from a pool in its
 * constructor, and the test's {@code @Arbiter} <em>gives</em> it back once both actors are
 * done: jcstress runs the arbiter of a state after its actors, and constructs the state
 * that replaces it only after that. A pool grows to the number of states alive at once and
 * no further.
 *
 * <h2>Threads</h2>
 * Actors run on jcstress's worker threads, which are new for every iteration; state
 * constructors and arbiters run on whichever worker consumes that half of the state array,
 * two at a time. So runtime thread contexts are bound to actor <em>roles</em>, not to Java
 * threads ({@link org.pxlab.stress.support.Actors}), and every component call made outside
 * an actor (preparing, resetting or releasing pooled resources) is made under one lock
 * ({@link org.pxlab.stress.support.Housekeeping}) with a context of its own.
 */
package org.pxlab.stress.support;
