/**
 * Configurations: declarations that name components per space and map allocation
 * placements to spaces, the registry that resolves names through {@link java.util.ServiceLoader},
 * and the checks that refuse unknown names and unsafe combinations before anything runs.
 */
package org.pxlab.runtime.config;
