/** Statistics that many threads update without sharing a cache line: counters kept per thread, summed on read. */
package org.pxlab.runtime.stats;
