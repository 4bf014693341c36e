/** jcstress tests that prove or refute the safety claims of components and configurations. */
package org.pxlab.stress;
