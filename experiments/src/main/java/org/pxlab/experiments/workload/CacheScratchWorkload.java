package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * After mimalloc-bench's {@code cache-scratch} (Berger et al., Hoard): passive false
 * sharing. The main thread allocates one small blob per worker slot, one after the other,
 * so that neighbouring workers' blobs share cache lines; each request then writes its
 * worker's blob over and over. Whether the lines bounce depends on where the configuration
 * put the blobs and their headers (the refcount, written by every load of the blob, is in
 * the same line as the data).
 *
 * <pre>
 * objects = [...]          # one blob of `size` bytes per worker slot, allocated at set-up
 *
 * def handler(slot):       # the request's argument: its worker's slot
 *     obj = objects[slot]
 *     r = 0
 *     while r &lt; repetitions:
 *         k = 0
 *         while k &lt; size:
 *             obj[k] = r
 *             k = k + 1
 *         r = r + 1
 *     return obj
 * </pre>
 *
 * The request's argument is its worker's slot (the runtime thread's id modulo the slots),
 * so with no more workers than slots every worker writes only its own blob. Every value
 * stays a cached small int, so a request allocates nothing. The answer is the blob, each
 * byte of which must hold {@code repetitions - 1}. Options: {@code size} (bytes, default
 * 8), {@code repetitions} (default 50), {@code slots} (default 64, the runtime's thread
 * limit); size and repetitions at most 256.
 */
public final class CacheScratchWorkload implements Workload {
    @Override
    public String name() {
        return "cache-scratch";
    }

    @Override
    public String description() {
        return "mimalloc-bench cache-scratch: passive false sharing; each request rewrites its worker's small blob made by the main thread";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int size = (int) parameters.longValue("size", 8, 1, 256);
        int repetitions = (int) parameters.longValue("repetitions", 50, 1, 256);
        int slots = (int) parameters.longValue("slots", ThreadContext.MAX_THREADS, 1, ThreadContext.MAX_THREADS);
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("cache_scratch_app");
        long objects = h.lists().newList(slots, t);
        long[] blobs = new long[slots];
        for (int i = 0; i < slots; i++) {
            blobs[i] = h.blobs().newBlob(size, t);
            Memory.zero(h.blobs().data(blobs[i]), size);
            h.lists().appendTake(objects, blobs[i], t);
        }
        d.global(module, "objects", objects);
        long handler = d.function(module, "handler", 1, 4, new Object[] {0L, (long) repetitions, (long) size, 1L},
                new String[] {"objects"}, CacheThrashWorkload.rewrite(b -> {
                    b.loadGlobal(0, false);         // obj = objects[slot]
                    b.loadFast(0);
                    b.binarySubscr();
                    b.storeFast(1);
                }));
        return Service.of(handler, (w, index) -> w.heap().numbers().newInt(w.thread().id() % slots, w.thread()),
                (w, index, response) -> CacheThrashWorkload.check(w.heap(), "cache-scratch", index, response, size, repetitions));
    }
}
