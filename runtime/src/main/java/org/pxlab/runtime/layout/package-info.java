/**
 * Header layouts: the fields components declare, composed into one C struct per
 * configuration (and a pre-header per space), with offsets, padding and sizes that
 * {@code pxlab layout} prints.
 */
package org.pxlab.runtime.layout;
