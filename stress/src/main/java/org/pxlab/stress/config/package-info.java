/**
 * Stress tests of whole configurations: a runtime assembled by the registry
 * ({@link org.pxlab.stress.support.RuntimeRig}), raced through the object model as workloads
 * use it, where the component tests race one component on its own.
 */
package org.pxlab.stress.config;
