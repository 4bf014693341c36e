/**
 * The object model: simulated Python objects (int, str, tuple, list, dict, function, type,
 * instance, ...) laid out in simulated memory, with CPython's reference conventions (new,
 * borrowed and stolen references) and a heap that allocates, counts, traverses and releases
 * them.
 */
package org.pxlab.runtime.object;
