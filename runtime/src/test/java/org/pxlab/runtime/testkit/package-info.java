/** Test helpers shared with other modules' tests through the runtime's test jar. */
package org.pxlab.runtime.testkit;
