package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * A built-in function or method implemented in Java (CPython's {@code METH_FASTCALL} C
 * functions): {@code len}, {@code dict.get}, {@code str.join}. It reads its arguments where
 * the caller's operand stack holds them, borrowed, and returns a new reference.
 */
@FunctionalInterface
public interface NativeFunction {
    /**
     * @param heap   the heap
     * @param thread the calling thread
     * @param self   the bound object for a method, or 0
     * @param args   the caller's operand stack (read only)
     * @param base   index of the first argument in {@code args}
     * @param nargs  number of arguments (excluding {@code self})
     * @return a new reference (never 0; raise {@link PyException} for errors)
     */
    long call(Heap heap, ThreadContext thread, long self, long[] args, int base, int nargs);
}
