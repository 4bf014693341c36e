package org.pxlab.runtime.exec;

/**
 * The body of a simulated function: Java code that issues the function's bytecode-level
 * operations on a {@link Mutator}, in the order CPython would execute them, and ends with
 * {@link Mutator#returnValue()}. A code object names its body by the id the runtime gave it
 * in {@link PxRuntime#registerBody}.
 *
 * <p>Control flow (loops, branches) is Java; data flow is the operand stack. A body must not
 * keep a simulated address in a Java variable across an operation unless the frame also
 * holds a reference to it.
 */
@FunctionalInterface
public interface CodeBody {
    void run(Mutator m);
}
