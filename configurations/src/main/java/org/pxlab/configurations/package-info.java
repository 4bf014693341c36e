/**
 * The built-in configurations, each a short declaration by composition (as an MMTk plan
 * declares its spaces), and the integration tests that run them.
 */
package org.pxlab.configurations;
