/** Stress tests of sync disciplines: {@code gil}. */
package org.pxlab.stress.sync;
