/**
 * PyParallel's split brain ({@code split-brain}), modelled on {@code pyparallel/pyparallel},
 * branch {@code 3.3-px}: the main thread's refcounted, collected heap; one parallel context
 * per connection, reused, with a bump heap per request and one per connection; refcounts
 * elided in parallel code; the persistence guard ("don't persist parallel objects"), complete
 * or faithful to PyParallel's gaps; {@code async.protect}; and the collector of context spaces,
 * {@code arena-release}, which frees nothing one by one.
 */
package org.pxlab.gc.split;
