package org.pxlab.runtime.exec;

import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.PyException;

/**
 * One thread's frames, contiguous in a {@code long[]} like CPython's per-thread data stack:
 * each frame is a small header, the locals, then the operand stack. Every slot holds an
 * object address (0 = NULL) that the frame owns, so the frames are exactly the references
 * the thread holds: the roots a collector must respect.
 *
 * <pre>
 * fp + 0  previous fp        fp + 4  f_builtins (borrowed)
 * fp + 1  f_funcobj (owned)  fp + 5  co_consts (borrowed from the code)
 * fp + 2  f_code (owned)     fp + 6  co_names (borrowed from the code)
 * fp + 3  f_globals (borrowed) fp + 7  nlocals;  fp + 8 .. locals, then the operand stack
 * </pre>
 *
 * Pushing and popping frames allocates nothing, and the array itself is kept per thread id by
 * the runtime, so a new runtime thread reuses its predecessor's (CPython keeps one data stack
 * per thread state for the same reason).
 */
final class FrameStack {
    static final int PREV = 0, FUNC = 1, CODE = 2, GLOBALS = 3, BUILTINS = 4, CONSTS = 5, NAMES = 6, NLOCALS = 7, LOCALS = 8;

    /** Slots per thread: deep enough for CPython's default recursion limit of 1000 small frames. */
    static final int CAPACITY = 1 << 16;

    final long[] s;
    /** Next free slot. */
    int sp;
    /** Current frame, or -1 when no frame is active. */
    int fp = -1;
    int depth;

    /**
     * @param slots the thread id's data stack, reused from one runtime thread to the next; no
     *              slot is read before this stack writes it (a frame writes its header and
     *              locals when it opens), so what a predecessor left there is never seen
     */
    FrameStack(long[] slots) {
        if (slots.length != CAPACITY) throw new IllegalArgumentException("a data stack has " + CAPACITY + " slots");
        this.s = slots;
    }

    void push(long v) {
        if (sp == CAPACITY) throw new PyException("RecursionError", "data stack exhausted (" + CAPACITY + " slots)");
        s[sp++] = v;
    }

    long pop() {
        if (fp < 0 || sp <= fp + LOCALS + (int) s[fp + NLOCALS]) throw new IllegalStateException("operand stack underflow");
        return s[--sp];
    }

    long peek(int depthFromTop) {
        return s[sp - 1 - depthFromTop];
    }

    /**
     * Opens a frame whose {@code argc} arguments are the top {@code argc} operand slots of the
     * caller (moved, not copied: their references now belong to the new frame's locals),
     * with {@code extra} slots below them removed from the caller's stack too (the callable
     * and the NULL-or-self slot of CPython's calling convention, whose references the caller
     * has already dealt with).
     */
    void openFrame(long func, long code, long globals, long builtins, long consts, long names, int nlocals, int argc,
                   int extra) {
        int base = sp - argc - extra;
        int localsAt = base + LOCALS;
        if (localsAt + nlocals >= CAPACITY) throw new PyException("RecursionError", "maximum recursion depth exceeded");
        System.arraycopy(s, sp - argc, s, localsAt, argc);
        for (int i = localsAt + argc; i < localsAt + nlocals; i++) s[i] = 0;
        s[base + PREV] = fp;
        s[base + FUNC] = func;
        s[base + CODE] = code;
        s[base + GLOBALS] = globals;
        s[base + BUILTINS] = builtins;
        s[base + CONSTS] = consts;
        s[base + NAMES] = names;
        s[base + NLOCALS] = nlocals;
        fp = base;
        sp = localsAt + nlocals;
        depth++;
    }

    /**
     * Closes the current frame: releases its operand stack, its locals, {@code f_funcobj}
     * and {@code f_code} (in that order, as {@code _PyFrame_ClearExceptCode} then the code),
     * and returns to the caller's frame.
     */
    void closeFrame(Heap heap, ThreadContext thread) {
        int f = fp;
        int localsAt = f + LOCALS;
        while (sp > localsAt + (int) s[f + NLOCALS]) heap.xdecref(s[--sp], thread);
        for (int i = localsAt; i < sp; i++) {
            long v = s[i];
            s[i] = 0;
            heap.xdecref(v, thread);
        }
        heap.xdecref(s[f + FUNC], thread);
        heap.xdecref(s[f + CODE], thread);
        sp = f;
        fp = (int) s[f + PREV];
        depth--;
    }

    int operandCount() {
        return sp - (fp + LOCALS + (int) s[fp + NLOCALS]);
    }
}
