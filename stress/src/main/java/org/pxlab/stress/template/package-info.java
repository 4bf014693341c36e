/**
 * The stress template: jcstress tests whose component is named by a system property, so a
 * user's allocator or refcount strategy (a plug-in registered through ServiceLoader) is stress
 * tested without writing jcstress code. {@code -Dpxlab.stress.allocator=NAME} picks the
 * allocator of {@link org.pxlab.stress.template.AllocatorTemplateNoOverlap};
 * {@code -Dpxlab.stress.refcount=NAME} the strategy of
 * {@link org.pxlab.stress.template.RefCountTemplateIncrements} and
 * {@link org.pxlab.stress.template.RefCountTemplateLastReference}. A component that is not
 * thread safe is raced as a configuration would use it: under the GIL.
 * {@link org.pxlab.stress.template.TemplateRun} runs them in a JVM of its own from a module's tests.
 */
package org.pxlab.stress.template;
