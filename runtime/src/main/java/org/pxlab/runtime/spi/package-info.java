/**
 * The service-provider interfaces every pluggable component implements: {@link
 * org.pxlab.runtime.spi.Allocator}, {@link org.pxlab.runtime.spi.RefCountStrategy}, {@link
 * org.pxlab.runtime.spi.Collector} and {@link org.pxlab.runtime.spi.SyncDiscipline}, and the
 * {@link org.pxlab.runtime.spi.ComponentProvider} through which {@link java.util.ServiceLoader}
 * finds them by name.
 */
package org.pxlab.runtime.spi;
