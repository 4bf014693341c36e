package org.pxlab.runtime.object;

import org.pxlab.runtime.spi.OffHeapBinaries;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * Opaque blobs of N bytes: for allocator workloads, where only size and lifetime matter.
 *
 * <p>Where the runtime keeps large blobs off-heap ({@link OffHeapBinaries}, Erlang's refc
 * binaries), a blob over the threshold is a handle: its body holds the size, with
 * {@link #OFF_HEAP} set, and the address of the shared bytes; the bytes are counted by their
 * handles and freed with the last one.
 */
public final class Blobs {
    /** Body offsets: the size, then the bytes (or, in a handle, their address). */
    public static final int SIZE = 0, DATA = 8;
    /** Set in {@link #SIZE} of a handle to an off-heap binary. */
    public static final long OFF_HEAP = 1L << 62;
    /** Body bytes of a handle: the size and the address. */
    static final long HANDLE_BODY = 16;

    private final Heap heap;

    Blobs(Heap heap) {
        this.heap = heap;
    }

    /** @param n the size field: bytes, with {@link #OFF_HEAP} set for a handle */
    static long bodySize(long n) {
        return (n & OFF_HEAP) != 0 ? HANDLE_BODY : (DATA + n + 7) & ~7L;
    }

    /** A blob of {@code n} uninitialised bytes (off-heap behind a handle when large and the runtime keeps them so). New reference. */
    public long newBlob(long n, ThreadContext thread) {
        OffHeapBinaries binaries = heap.offHeapBinaries();
        if (binaries != null && n > binaries.threshold()) return newHandle(n, binaries.allocate(n, thread), thread);
        long o = heap.allocate(heap.types().blobType(), TypeKind.BLOB, bodySize(n), thread);
        Memory.putLong(o + heap.bodyOffset() + SIZE, n);
        return o;
    }

    /** A new handle, in the thread's space, to the off-heap bytes of {@code blob} (a handle): the bytes are shared, not copied. New reference. */
    public long shareHandle(long blob, ThreadContext thread) {
        long data = data(blob);
        heap.offHeapBinaries().retain(data);
        return newHandle(size(blob), data, thread);
    }

    private long newHandle(long n, long data, ThreadContext thread) {
        long o = heap.allocate(heap.types().blobType(), TypeKind.BLOB, HANDLE_BODY, thread);
        Memory.putLong(o + heap.bodyOffset() + SIZE, n | OFF_HEAP);
        Memory.putLong(o + heap.bodyOffset() + DATA, data);
        return o;
    }

    /** Whether the blob is a handle to off-heap bytes. */
    public boolean offHeap(long blob) {
        return (Memory.getLong(blob + heap.bodyOffset() + SIZE) & OFF_HEAP) != 0;
    }

    public long size(long blob) {
        return Memory.getLong(blob + heap.bodyOffset() + SIZE) & ~OFF_HEAP;
    }

    /** Address of the first data byte. */
    public long data(long blob) {
        long body = blob + heap.bodyOffset();
        return (Memory.getLong(body + SIZE) & OFF_HEAP) != 0 ? Memory.getLong(body + DATA) : body + DATA;
    }

    /** A blob is being freed: a handle lets go of its off-heap bytes. */
    void handleFreed(long blob, ThreadContext thread) {
        if (offHeap(blob)) heap.offHeapBinaries().release(data(blob), thread);
    }
}
