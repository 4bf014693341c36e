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
 *
 * <p><b>Deferred references</b> (CPython 3.14t's {@code _PyStackRef}, {@code pycore_stackref.h}):
 * when the heap defers kinds, a slot may hold an object's address with bit 0 set
 * ({@link #TAG}, {@code Py_TAG_DEFERRED}): a reference the object's count does not include,
 * made by {@link #pushNew} ({@code PyStackRef_FromPyObjectNew}) for a deferred or immortal
 * object. {@link #close} ({@code PyStackRef_CLOSE}) skips it; {@link #pop} hands out a counted
 * reference ({@code PyStackRef_AsPyObjectSteal}: +1 if tagged), so code that stores or
 * releases what it pops stays correct; {@link #visitDeferred} shows the tagged slots to a
 * stop-the-world collector ({@code gc_visit_thread_stacks}). Header words other than
 * {@code f_funcobj} and {@code f_code} are never tagged. Without deferral nothing is tagged and
 * every path is CPython 3.12's.
 */
final class FrameStack {
    static final int PREV = 0, FUNC = 1, CODE = 2, GLOBALS = 3, BUILTINS = 4, CONSTS = 5, NAMES = 6, NLOCALS = 7, LOCALS = 8;

    /** Slots per thread: deep enough for CPython's default recursion limit of 1000 small frames. */
    static final int CAPACITY = 1 << 16;

    /** {@code Py_TAG_DEFERRED}: the slot's reference is not counted. */
    static final long TAG = 1L;

    final long[] s;
    private final Heap heap;
    private final ThreadContext thread;
    private final boolean tags;
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
    FrameStack(long[] slots, Heap heap, ThreadContext thread) {
        if (slots.length != CAPACITY) throw new IllegalArgumentException("a data stack has " + CAPACITY + " slots");
        this.s = slots;
        this.heap = heap;
        this.thread = thread;
        this.tags = heap.defersStackReferences();
    }

    /** The object a slot's stack reference names, tag removed ({@code PyStackRef_AsPyObjectBorrow}). */
    static long obj(long ref) {
        return ref & ~TAG;
    }

    /** Whether a stack reference is tagged ({@code PyStackRef_IsDeferred}). */
    static boolean tagged(long ref) {
        return (ref & TAG) != 0;
    }

    /**
     * {@code PyStackRef_FromPyObjectNew}: a new stack reference to {@code object}, which the
     * caller reached without owning a count: tagged and uncounted for a deferred or immortal
     * object, else +1.
     */
    long newRef(long object) {
        if (tags && heap.stackUncounted(object)) return object | TAG;
        heap.incref(object, thread);
        return object;
    }

    /** Pushes {@link #newRef}{@code (object)}. */
    void pushNew(long object) {
        push(newRef(object));
    }

    /** {@code PyStackRef_DUP}: another reference like {@code ref} (tagged stays tagged, else +1). */
    long dup(long ref) {
        if (tagged(ref)) return ref;
        heap.incref(ref, thread);
        return ref;
    }

    /** {@code PyStackRef_CLOSE} / {@code PyStackRef_XCLOSE}: -1 unless tagged or NULL. */
    void close(long ref) {
        if (ref != 0 && !tagged(ref)) heap.decref(ref, thread);
    }

    /** {@code PyStackRef_AsPyObjectSteal}: a counted reference (+1 if the slot's was tagged). */
    long steal(long ref) {
        if (!tagged(ref)) return ref;
        long o = obj(ref);
        heap.incref(o, thread);
        return o;
    }

    void push(long v) {
        if (sp == CAPACITY) throw new PyException("RecursionError", "data stack exhausted (" + CAPACITY + " slots)");
        s[sp++] = v;
    }

    /** Pops the top as a counted reference the caller owns ({@link #steal}). */
    long pop() {
        return steal(popRef());
    }

    /** Pops the top stack reference as it is (possibly tagged): for {@link #close} or a move. */
    long popRef() {
        if (fp < 0 || sp <= fp + LOCALS + (int) s[fp + NLOCALS]) throw new IllegalStateException("operand stack underflow");
        return s[--sp];
    }

    /** The object {@code depthFromTop} slots below the top, borrowed. */
    long peek(int depthFromTop) {
        return obj(s[sp - 1 - depthFromTop]);
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
    void closeFrame() {
        int f = fp;
        int localsAt = f + LOCALS;
        while (sp > localsAt + (int) s[f + NLOCALS]) close(s[--sp]);
        for (int i = localsAt; i < sp; i++) {
            long v = s[i];
            s[i] = 0;
            close(v);
        }
        close(s[f + FUNC]);
        close(s[f + CODE]);
        sp = f;
        fp = (int) s[f + PREV];
        depth--;
    }

    /**
     * Visits the object of every tagged reference in this thread's frames: each frame's
     * {@code f_funcobj}, {@code f_code}, locals and operand stack ({@code gc_visit_thread_stacks}).
     * Called with the thread stopped at an eval-breaker check or detached.
     */
    void visitDeferred(org.pxlab.runtime.object.ReferenceVisitor visitor) {
        int top = sp;
        for (int fr = fp; fr >= 0; fr = (int) s[fr + PREV]) {
            visitIfTagged(s[fr + FUNC], visitor);
            visitIfTagged(s[fr + CODE], visitor);
            for (int i = fr + LOCALS; i < top; i++) visitIfTagged(s[i], visitor);
            top = fr;
        }
    }

    private static void visitIfTagged(long ref, org.pxlab.runtime.object.ReferenceVisitor visitor) {
        if (tagged(ref)) visitor.visit(obj(ref));
    }

    int operandCount() {
        return sp - (fp + LOCALS + (int) s[fp + NLOCALS]);
    }
}
