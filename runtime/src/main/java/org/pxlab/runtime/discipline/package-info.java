/**
 * The reference discipline: which CPython version is modelled, and the table of increfs
 * and decrefs each operation emits (the README prints it; tests check the mutator against it).
 */
package org.pxlab.runtime.discipline;
