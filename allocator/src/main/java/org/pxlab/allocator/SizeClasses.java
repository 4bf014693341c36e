package org.pxlab.allocator;

/**
 * pymalloc's small-request size classes ({@code Objects/obmalloc.c}), shared by every pxlab
 * allocator that segregates blocks by size: {@code size-class-pool}, {@code locked-global} and
 * {@code thread-sharded}.
 *
 * <p>Requests of 1 to 512 bytes ({@code SMALL_REQUEST_THRESHOLD}) are rounded up to a multiple
 * of 16 ({@code ALIGNMENT}), giving 32 classes, index {@code (size - 1) >> 4}
 * ({@code size_class_index}); larger requests are "large" and go to the C library. Using one
 * geometry for all three allocators means that they round every request alike, so their
 * {@code inUse} and footprint figures differ only by what their designs do (arenas, a lock,
 * per-thread pages), not by where their class boundaries happen to fall.
 */
final class SizeClasses {
    private SizeClasses() {}

    /** Every block is aligned to, and every class size a multiple of, this many bytes. */
    static final int ALIGNMENT = 16;
    static final int ALIGNMENT_SHIFT = 4;
    /** Largest small request; anything above is a large block. */
    static final int SMALL_REQUEST_THRESHOLD = 512;
    /** Number of size classes. */
    static final int COUNT = SMALL_REQUEST_THRESHOLD / ALIGNMENT;

    /**
     * Whether a request is served from a size class. Unsigned, as pymalloc's {@code size_t} test
     * is: 0 and negative sizes are "large", so they reach the large path's argument check.
     */
    static boolean isSmall(long size) {
        return Long.compareUnsigned(size - 1, SMALL_REQUEST_THRESHOLD) < 0;
    }

    /** The class of a small request (pymalloc: {@code (nbytes - 1) >> ALIGNMENT_SHIFT}). */
    static int index(long size) {
        return (int) ((size - 1) >>> ALIGNMENT_SHIFT);
    }

    /** The block size of a class (pymalloc: {@code INDEX2SIZE}). */
    static int classSize(int index) {
        return (index + 1) << ALIGNMENT_SHIFT;
    }

    /** What a request costs in {@code inUse}: its class size if small, else the request itself. */
    static long charged(long size) {
        return isSmall(size) ? classSize(index(size)) : size;
    }
}
