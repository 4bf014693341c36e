package org.pxlab.gc.isolated;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.OffHeapBinaries;
import org.pxlab.runtime.stats.PerThreadCounters;

/**
 * Erlang's reference-counted binaries, after {@code erlang/otp}, {@code erts/emulator/beam}:
 * a binary larger than {@code ERL_ONHEAP_BIN_LIMIT} (64 bytes, {@code erl_binary.h}) is not
 * put on the process heap but allocated once, outside every heap, as a {@code Binary}
 * ({@code intern.refc}, {@code orig_size}, {@code orig_bytes}); each process that holds it has a
 * small {@code ProcBin} on its own heap that points at it. Sending it copies the
 * {@code ProcBin}, not the bytes, and increments the count ({@code copy.c},
 * {@code copy_struct}: {@code erts_refc_inc(&pb->val->intern.refc, 2)}); when a process's
 * collector finds a {@code ProcBin} dead it releases the binary ({@code erl_gc.c},
 * {@code sweep_off_heap} → {@code erts_bin_release}), and the last release frees it
 * ({@code erts_refc_dectest(&bp->intern.refc, 0) == 0} → {@code erts_bin_free}).
 *
 * <p>Here the handle is the blob object of the holding heap (its count says how many
 * references that heap has to it) and it is released when that count reaches zero, where
 * Erlang's copying collector would find it dead at the next collection: the binary's count
 * is the number of live handles either way. The count is atomic, as {@code erts_refc_t} is,
 * because handles in different heaps are freed by different threads.
 *
 * <p>Layout of a binary: the count (8 bytes), the size (8), then the bytes; it is named by the
 * address of its first byte. Statistics are kept per thread and summed on read; the peak is not
 * tracked (reported as the bytes in use at the reading).
 */
public final class RefcBinaries implements OffHeapBinaries {
    /** {@code ERL_ONHEAP_BIN_LIMIT}: binaries up to this many bytes stay on the process heap. */
    public static final long ON_HEAP_LIMIT = 64;
    private static final long REFC = -16, SIZE = -8, HEADER = 16;
    private static final int ALLOCATIONS = 0, FREES = 1, BYTES_ALLOCATED = 2, BYTES_FREED = 3;

    private final PerThreadCounters counters = new PerThreadCounters(4);

    @Override
    public long threshold() {
        return ON_HEAP_LIMIT;
    }

    @Override
    public long allocate(long size, ThreadContext thread) {
        long block = SystemMalloc.malloc(HEADER + size);
        Memory.putLong(block, 1);
        Memory.putLong(block + 8, size);
        counters.add(thread, ALLOCATIONS, 1);
        counters.add(thread, BYTES_ALLOCATED, HEADER + size);
        return block + HEADER;
    }

    @Override
    public void retain(long data) {
        Memory.getAndAddLong(data + REFC, 1);
    }

    /**
     * @throws IllegalStateException if the binary had no handle left (a handle released twice)
     */
    @Override
    public void release(long data, ThreadContext thread) {
        long before = Memory.getAndAddLong(data + REFC, -1);
        if (before > 1) return;
        if (before < 1) throw new IllegalStateException("binary at 0x" + Long.toHexString(data) + " released with no handle left");
        long size = Memory.getLong(data + SIZE);
        Memory.poison(data - HEADER, HEADER + size);
        SystemMalloc.free(data - HEADER);
        counters.add(thread, FREES, 1);
        counters.add(thread, BYTES_FREED, HEADER + size);
    }

    /** The number of handles to the binary at {@code data} (tests). */
    public long handles(long data) {
        return Memory.getLongVolatile(data + REFC);
    }

    @Override
    public AllocatorStatistics statistics() {
        long inUse = counters.sum(BYTES_ALLOCATED) - counters.sum(BYTES_FREED);
        return new AllocatorStatistics(inUse, inUse, inUse, counters.sum(ALLOCATIONS), counters.sum(FREES));
    }

    @Override
    public String toString() {
        return "refc, > " + ON_HEAP_LIMIT + " B";
    }
}
