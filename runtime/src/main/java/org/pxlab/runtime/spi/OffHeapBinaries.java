package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/**
 * Blobs larger than a threshold kept outside every space and shared by reference-counted
 * handles, as Erlang keeps binaries over 64 bytes: each heap that holds one has its own small
 * handle object (a {@code ProcBin}) in its heap, and the binary counts the handles. The
 * object model asks this when it makes a blob, copies one to another heap (a new handle, the
 * bytes not copied) and frees a handle. A discipline that has none returns {@code null} from
 * {@link SyncDiscipline#offHeapBinaries()}.
 */
public interface OffHeapBinaries {

    /** Blobs of more bytes than this live off-heap. */
    long threshold();

    /**
     * Allocates a binary of {@code size} bytes whose count is 1 (its first handle's).
     *
     * @return the address of its first data byte, which names it from then on
     */
    long allocate(long size, ThreadContext thread);

    /** One more handle refers to the binary at {@code data} (a copy into another heap). */
    void retain(long data);

    /** A handle to the binary at {@code data} was freed; the last one frees the binary. */
    void release(long data, ThreadContext thread);

    /** Bytes and counts of the binaries allocated and freed so far. */
    AllocatorStatistics statistics();
}
