package org.pxlab.runtime.object;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/** Opaque blobs of N bytes: for allocator workloads, where only size and lifetime matter. */
public final class Blobs {
    /** Body offsets. */
    public static final int SIZE = 0, DATA = 8;

    private final Heap heap;

    Blobs(Heap heap) {
        this.heap = heap;
    }

    static long bodySize(long n) {
        return (DATA + n + 7) & ~7L;
    }

    /** A blob of {@code n} uninitialised bytes. New reference. */
    public long newBlob(long n, ThreadContext thread) {
        long o = heap.allocate(heap.types().blobType(), TypeKind.BLOB, bodySize(n), thread);
        Memory.putLong(o + heap.bodyOffset() + SIZE, n);
        return o;
    }

    public long size(long blob) {
        return Memory.getLong(blob + heap.bodyOffset() + SIZE);
    }

    /** Address of the first data byte. */
    public long data(long blob) {
        return blob + heap.bodyOffset() + DATA;
    }
}
