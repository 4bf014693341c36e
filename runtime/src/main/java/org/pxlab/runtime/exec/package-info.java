/**
 * Execution: the runtime and the threads it owns, their frames (the collectors' roots), and
 * the {@code Mutator}, whose operations mirror CPython bytecodes and emit the increfs and
 * decrefs the modelled version emits.
 */
package org.pxlab.runtime.exec;
