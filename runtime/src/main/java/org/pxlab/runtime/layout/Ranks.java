package org.pxlab.runtime.layout;

/**
 * Rank values that place header fields where the modelled C structs put them. Lower ranks
 * come first. Components may use any int; these are the ones the built-ins share so that
 * independent components compose into the real order.
 */
public final class Ranks {
    private Ranks() {}

    /** PyParallel's {@code _PyObject_HEAD_EXTRA} ({@code is_px}, {@code px_flags}, {@code orig_type}) leads the struct. */
    public static final int HEAD_EXTRA = 0;
    /** Owner thread id of a biased count ({@code ob_tid}). */
    public static final int OWNER = 10;
    /** Small flag words ({@code ob_flags}, {@code ob_mutex}, {@code ob_gc_bits}). */
    public static final int FLAGS = 20;
    /** Reference count words ({@code ob_refcnt}, {@code ob_ref_local}, {@code ob_ref_shared}). */
    public static final int REFCOUNT = 30;
    /** The runtime's own space tag, present when a configuration has more than one space. */
    public static final int SPACE = 80;
    /** {@code ob_type}, always last, as in every CPython build. */
    public static final int TYPE = 90;

    /** Pre-header ({@code PyGC_Head}) links of tracked containers. */
    public static final int GC_LINKS = 0;
}
