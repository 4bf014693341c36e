/**
 * Sync disciplines that belong to the runtime itself: the global interpreter lock. Per-object
 * locks and the split-brain and isolated disciplines build on the same SPI.
 */
package org.pxlab.runtime.sync;
