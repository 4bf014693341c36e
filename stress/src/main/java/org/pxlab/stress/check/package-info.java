/**
 * The stress suite's runner and judge: {@link org.pxlab.stress.check.StressSuite} runs jcstress
 * and then {@link org.pxlab.stress.check.SuiteVerdict} decides whether the run is valid and
 * passed.
 */
package org.pxlab.stress.check;
