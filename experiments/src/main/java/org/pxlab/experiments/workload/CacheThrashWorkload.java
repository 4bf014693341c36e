package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.CodeBody;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.NativeModules;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * After mimalloc-bench's {@code cache-thrash} (Berger et al., Hoard): active false sharing.
 * Each request allocates small blobs one at a time and writes each over and over before
 * letting it go; an allocator that hands neighbouring small blocks to different threads makes
 * their writes share cache lines.
 *
 * <pre>
 * from _pxlab import blob
 *
 * def handler(request):
 *     i = 0
 *     while i &lt; objects:
 *         obj = blob(size)             # the previous one is freed here
 *         r = 0
 *         while r &lt; repetitions:
 *             k = 0
 *             while k &lt; size:
 *                 obj[k] = r
 *                 k = k + 1
 *             r = r + 1
 *         i = i + 1
 *     return obj
 * </pre>
 *
 * The answer is the last blob, each byte of which must hold {@code repetitions - 1}; it is
 * freed when the server releases the answer. Options: {@code objects} (per request, default
 * 4), {@code size} (bytes, default 8), {@code repetitions} (default 50); size and
 * repetitions at most 256.
 */
public final class CacheThrashWorkload implements Workload {
    @Override
    public String name() {
        return "cache-thrash";
    }

    @Override
    public String description() {
        return "mimalloc-bench cache-thrash: active false sharing; each request allocates small blobs and rewrites each";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int objects = (int) parameters.longValue("objects", 4, 1, 1_000_000);
        int size = (int) parameters.longValue("size", 8, 1, 256);
        int repetitions = (int) parameters.longValue("repetitions", 50, 1, 256);
        parameters.checkAllUsed();
        Definitions d = m.define();
        long module = d.module("cache_thrash_app");
        Modules.importNative(m, module, "_pxlab", "blob", NativeModules::blob);
        // locals: request 0, obj 1, r 2, k 3, i 4
        long handler = d.function(module, "handler", 1, 5, new Object[] {0L, (long) repetitions, (long) size, 1L, (long) objects},
                new String[] {"blob"}, b -> {
                    b.loadConst(0);                 // i = 0
                    b.storeFast(4);
                    while (true) {
                        b.loadFast(4);              // while i < objects:
                        b.loadConst(4);
                        b.compareInt(Mutator.Compare.LT);
                        if (!b.popTruth()) break;
                        b.loadGlobal(0, true);      //     obj = blob(size)
                        b.loadConst(2);
                        b.call(1);
                        b.storeFast(1);
                        writes(b);
                        b.loadFast(4);              //     i = i + 1
                        b.loadConst(3);
                        b.binaryAddInt();
                        b.storeFast(4);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(1);                  // return obj
                    b.returnValue();
                });
        return Service.of(handler, Service::numbered, (w, index, response) -> check(w.heap(), "cache-thrash", index, response,
                size, repetitions));
    }

    /**
     * A handler body: {@code fetch} leaves the blob in local 1, then the rewriting loop, then
     * {@code return obj}. Locals: obj 1, r 2, k 3; constants: 0, repetitions, size, 1.
     */
    static CodeBody rewrite(CodeBody fetch) {
        return b -> {
            fetch.run(b);
            writes(b);
            b.loadFast(1);                          // return obj
            b.returnValue();
        };
    }

    /** The rewriting loop over the blob in local 1 (locals r 2, k 3; constants 0, repetitions, size, 1). */
    static void writes(Mutator b) {
        b.loadConst(0);                             // r = 0
        b.storeFast(2);
        while (true) {
            b.loadFast(2);                          // while r < repetitions:
            b.loadConst(1);
            b.compareInt(Mutator.Compare.LT);
            if (!b.popTruth()) break;
            b.loadConst(0);                         //     k = 0
            b.storeFast(3);
            while (true) {
                b.loadFast(3);                      //     while k < size:
                b.loadConst(2);
                b.compareInt(Mutator.Compare.LT);
                if (!b.popTruth()) break;
                b.loadFast(2);                      //         obj[k] = r
                b.loadFast(1);
                b.loadFast(3);
                b.storeSubscr();
                b.loadFast(3);                      //         k = k + 1
                b.loadConst(3);
                b.binaryAddInt();
                b.storeFast(3);
                b.jumpBackward();                     // JUMP_BACKWARD
            }
            b.loadFast(2);                          //     r = r + 1
            b.loadConst(3);
            b.binaryAddInt();
            b.storeFast(2);
            b.jumpBackward();                     // JUMP_BACKWARD
        }
    }

    /** The answer is a blob of {@code size} bytes, each {@code repetitions - 1}. Allocates nothing unless wrong. */
    static void check(Heap h, String workload, long index, long response, int size, int repetitions) {
        if (h.kindOf(response) != TypeKind.BLOB || h.blobs().size(response) != size) {
            throw new WrongAnswer(workload, index, "expected a blob of " + size + " bytes");
        }
        long data = h.blobs().data(response);
        for (int k = 0; k < size; k++) {
            if (Memory.getByte(data + k) != (byte) (repetitions - 1)) {
                throw new WrongAnswer(workload, index, "byte " + k + " should be " + (repetitions - 1));
            }
        }
    }
}
